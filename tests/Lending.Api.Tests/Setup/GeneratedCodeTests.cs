using JasperFx.CodeGeneration;
using Lending.Api.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Lending.Api.Tests.Setup;

/// <summary>
/// Every message handler and HTTP endpoint runs code generated ahead of time and compiled into the API
/// (src/Lending.Api/Internal/Generated, written by <c>./lending codegen</c>), not code compiled when it is first
/// called: a node just started answers its first requests and closes its first business date without a compiler.
/// This finds a handler or endpoint without its code; one whose method changed fails the build instead (its generated
/// code calls the old one). A change of middleware or policy alone needs <c>./lending codegen</c> by hand.
/// </summary>
public class GeneratedCodeTests(AppFixture app) : ApiTest(app)
{
    [Fact]
    public void Every_handler_and_endpoint_has_its_code_generated_ahead_of_time()
    {
        var collections = Host.Services.GetServices<ICodeFileCollection>().ToList();
        Assert.NotEmpty(collections);
        // Fails naming the handler or endpoint whose code is missing: run ./lending codegen.
        foreach (var collection in collections) collection.AssertPreBuildTypesExist(Host.Services);
    }
}
