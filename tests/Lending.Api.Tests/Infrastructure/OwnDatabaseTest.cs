using Alba;
using Lending.Api.Setup;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Lending.Api.Tests.Infrastructure;

/// <summary>
/// A test with a database of its own, created before and dropped after it, for hosts it starts and stops itself
/// (restarts, batches of its own size, an old schema, a rebuild that fails): the shared fixture's host must not see it.
/// </summary>
public abstract class OwnDatabaseTest(string prefix) : IAsyncLifetime
{
    protected FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 1, 31, 9, 0, 0, TimeSpan.Zero));

    /// <summary>Where the hosts' file channel writes notices.</summary>
    protected string Notices { get; } = Path.Combine(Path.GetTempPath(), $"lending-notices-{Guid.NewGuid():N}");

    /// <summary>The connection string of the test's database.</summary>
    protected string Database { get; private set; } = null!;

    public async Task InitializeAsync() => Database = await TestPostgres.CreateDatabaseAsync(prefix);

    public async Task DisposeAsync()
    {
        await TestPostgres.DropDatabaseAsync(Database);
        if (Directory.Exists(Notices)) Directory.Delete(Notices, true);
    }

    protected Task<IScenarioResult> As(IAlbaHost host, string role, Action<Scenario> configure) => host.Scenario(s =>
    {
        s.WithRequestHeader("Authorization", $"Bearer {TestTokens.Create(host.Services.GetRequiredService<TokenSigning>(), Clock, $"{role}-1", role)}");
        configure(s);
    });
}
