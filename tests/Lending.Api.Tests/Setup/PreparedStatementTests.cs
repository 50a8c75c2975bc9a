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
        int backend;
        await using (var connection = App.Store.Storage.Database.CreateConnection())
        {
            await connection.OpenAsync();
            backend = connection.ProcessID;
            for (var i = 0; i < 3; i++)
                await new NpgsqlCommand(sql, connection) { Parameters = { new() { Value = Guid.NewGuid() } } }.ExecuteScalarAsync();
        }

        // The same server session out of the pool again (connections are held open until the pool hands it out): a reset with
        // DISCARD ALL would have dropped what it prepared.
        var held = new List<NpgsqlConnection>();
        try
        {
            NpgsqlConnection again;
            do
            {
                again = App.Store.Storage.Database.CreateConnection();
                held.Add(again);
                await again.OpenAsync();
            } while (again.ProcessID != backend && held.Count < 200);
            Assert.Equal(backend, again.ProcessID);
            await using var prepared = new NpgsqlCommand("select count(*) from pg_prepared_statements where statement like $1", again)
                { Parameters = { new() { Value = $"%{marker}%" } } };
            Assert.Equal(1L, (long)(await prepared.ExecuteScalarAsync())!);
        }
        finally
        {
            foreach (var connection in held) await connection.DisposeAsync();
        }
    }

    [Theory]
    [InlineData("Host=db;Database=lending", "100")]
    [InlineData("Host=db;Database=lending;Max Auto Prepare=20", "20")]
    [InlineData("Host=db;Database=lending;Max Auto Prepare=0", "0")]
    public void An_operator_s_own_setting_is_kept(string given, string expected) =>
        Assert.Equal(int.Parse(expected), new NpgsqlConnectionStringBuilder(MartenSetup.WithPreparedStatements(given)).MaxAutoPrepare);
}
