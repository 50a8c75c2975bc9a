using Lending.Api.Setup;
using Lending.Api.Tests.Infrastructure;
using Npgsql;

namespace Lending.Api.Tests.Setup;

/// <summary>
/// The store's connections prepare the statements they repeat, keep them across uses from the pool, and plan for a working
/// set read by key from memory or SSD.
/// </summary>
public class ServiceConnectionTests(AppFixture app) : ApiTest(app)
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
        await using var pool = new NpgsqlDataSourceBuilder(MartenSetup.ServiceConnectionString(App.ConnectionString))
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
        var settings = new NpgsqlConnectionStringBuilder(MartenSetup.ServiceConnectionString(given));
        Assert.Equal(maxAutoPrepare, settings.MaxAutoPrepare);
        Assert.Equal(minUsages, settings.AutoPrepareMinUsages);
    }

    [Fact]
    public async Task The_store_s_connections_plan_with_a_random_page_cost_of_1_1()
    {
        await using var connection = (NpgsqlConnection)App.Store.Storage.Database.CreateConnection();
        await connection.OpenAsync();
        await using var show = new NpgsqlCommand("show random_page_cost", connection);
        Assert.Equal(MartenSetup.RandomPageCost, (string)(await show.ExecuteScalarAsync())!);
    }

    [Theory]
    [InlineData("Host=db;Database=lending", "-c random_page_cost=1.1")]
    [InlineData("Host=db;Database=lending;Options=-c random_page_cost=2", "-c random_page_cost=2")]
    [InlineData("Host=db;Database=lending;options='-c statement_timeout=30000 -c work_mem=64MB'", "-c statement_timeout=30000 -c work_mem=64MB")]
    public void An_operator_s_own_options_are_kept_as_given(string given, string options) =>
        Assert.Equal(options, new NpgsqlConnectionStringBuilder(MartenSetup.ServiceConnectionString(given, environmentOptions: null)).Options);

    [Fact]
    public void Options_in_the_environment_are_the_operator_s_own_too_and_are_not_overridden() =>
        Assert.Null(new NpgsqlConnectionStringBuilder(
            MartenSetup.ServiceConnectionString("Host=db;Database=lending", environmentOptions: "-c statement_timeout=30000")).Options);
}
