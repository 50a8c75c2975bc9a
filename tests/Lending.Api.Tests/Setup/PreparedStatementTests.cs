using Lending.Api.Setup;
using Lending.Api.Tests.Infrastructure;
using Npgsql;

namespace Lending.Api.Tests.Setup;

/// <summary>The store's connections prepare the statements they repeat, and keep them across uses from the pool.</summary>
public class PreparedStatementTests(AppFixture app) : ApiTest(app)
{
    [Fact]
    public async Task A_statement_run_again_on_a_store_connection_is_prepared_and_stays_prepared_after_the_pool_takes_it_back()
    {
        var marker = $"prepared_{Guid.NewGuid():N}";
        var sql = $"select count(*) as {marker} from lending.mt_doc_loan where id = $1";
        await using (var store = App.Store.Storage.Database.CreateConnection())
            Assert.Equal(100, new NpgsqlConnectionStringBuilder(store.ConnectionString).MaxAutoPrepare);

        // The store's settings in a pool of one connection: the second open is the same server session, so a reset with
        // DISCARD ALL in between would have dropped what the first prepared.
        await using var pool = new NpgsqlDataSourceBuilder(MartenSetup.WithPreparedStatements(App.ConnectionString))
            { ConnectionStringBuilder = { MaxPoolSize = 1 } }.Build();
        int backend;
        await using (var connection = await pool.OpenConnectionAsync())
        {
            backend = connection.ProcessID;
            for (var i = 0; i < 3; i++)
            {
                await using var query = new NpgsqlCommand(sql, connection) { Parameters = { new() { Value = Guid.NewGuid() } } };
                await query.ExecuteScalarAsync();
            }
        }
        await using var again = await pool.OpenConnectionAsync();
        Assert.Equal(backend, again.ProcessID);
        await using var prepared = new NpgsqlCommand("select count(*) from pg_prepared_statements where statement like $1", again)
            { Parameters = { new() { Value = $"%{marker}%" } } };
        Assert.Equal(1L, (long)(await prepared.ExecuteScalarAsync())!);
    }

    [Theory]
    [InlineData("Host=db;Database=lending", 100, 2)]
    [InlineData("Host=db;Database=lending;Max Auto Prepare=20", 20, 2)]
    [InlineData("Host=db;Database=lending;max auto prepare=0", 0, 2)]
    [InlineData("Host=db;Database=lending;MaxAutoPrepare=30;Auto Prepare Min Usages=5", 30, 5)]
    public void An_operator_s_own_settings_are_kept(string given, int maxAutoPrepare, int minUsages)
    {
        var settings = new NpgsqlConnectionStringBuilder(MartenSetup.WithPreparedStatements(given));
        Assert.Equal(maxAutoPrepare, settings.MaxAutoPrepare);
        Assert.Equal(minUsages, settings.AutoPrepareMinUsages);
    }
}
