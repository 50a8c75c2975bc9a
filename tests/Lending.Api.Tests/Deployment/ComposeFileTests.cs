using YamlDotNet.RepresentationModel;

namespace Lending.Api.Tests.Deployment;

/// <summary>docker-compose.yml cannot be run where there is no Docker engine, so at least its shape is checked.</summary>
public class ComposeFileTests
{
    private static string RepoFile(string name)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Lending.sln"))) dir = dir.Parent;
        return Path.Combine(dir?.FullName ?? throw new InvalidOperationException("Lending.sln not found above the test output"), name);
    }

    [Fact]
    public void Compose_runs_postgres_and_the_api_built_from_the_dockerfile_against_it()
    {
        var yaml = new YamlStream();
        using (var reader = File.OpenText(RepoFile("docker-compose.yml"))) yaml.Load(reader);
        var services = (YamlMappingNode)((YamlMappingNode)yaml.Documents[0].RootNode)["services"];

        var postgres = (YamlMappingNode)services["postgres"];
        Assert.StartsWith("postgres:", postgres["image"].ToString());

        var api = (YamlMappingNode)services["api"];
        Assert.Equal(".", api["build"].ToString());
        var environment = (YamlMappingNode)api["environment"];
        Assert.Contains("Host=postgres", environment["ConnectionStrings__Lending"].ToString());
        Assert.True(File.Exists(RepoFile("Dockerfile")));
    }
}
