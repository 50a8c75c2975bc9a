using Lending.Api.BusinessDates;
using Lending.Api.Setup;
using Lending.Api.Tests.Infrastructure;
using Npgsql;

namespace Lending.Api.Tests.BusinessDates;

/// <summary>Close of business pages the loans needing work through one index, in its order.</summary>
public class CobIndexTests(AppFixture app) : ApiTest(app)
{
    [Fact]
    public async Task A_page_of_loans_needing_work_is_one_range_of_the_date_and_id_index_without_a_sort()
    {
        await using var connection = new NpgsqlConnection(App.ConnectionString);
        await connection.OpenAsync();
        await using (var definition = new NpgsqlCommand("select indexdef from pg_indexes where schemaname = $1 and indexname = $2", connection)
                     { Parameters = { new() { Value = MartenSetup.DocumentSchema }, new() { Value = MartenSetup.CobIndexName } } })
            Assert.EndsWith($"({MartenSetup.CobIndexColumn}, id) WHERE ({MartenSetup.CobIndexColumn} IS NOT NULL)",
                (string?)await definition.ExecuteScalarAsync());

        // The plan a large book gets (the test's few loans would be read whole): an index range in key order, no sort.
        await using var transaction = await connection.BeginTransactionAsync();
        await new NpgsqlCommand("set local enable_seqscan = off; set local enable_bitmapscan = off", connection, transaction).ExecuteNonQueryAsync();
        string[] values = ["'2026-03-10'::date", "'2026-02-01'::date", "'00000000-0000-0000-0000-000000000000'::uuid", "1000"];
        var parts = CloseBusinessDateHandler.PageSql.Split('?');
        Assert.Equal(values.Length + 1, parts.Length);
        var sql = string.Concat(parts.Zip([.. values, ""], (part, value) => part + value));
        await using var explain = new NpgsqlCommand("explain " + sql, connection, transaction);
        var plan = new List<string>();
        await using (var reader = await explain.ExecuteReaderAsync())
            while (await reader.ReadAsync()) plan.Add(reader.GetString(0));
        Assert.Contains(plan, line => line.Contains(MartenSetup.CobIndexName));
        Assert.DoesNotContain(plan, line => line.Contains("Sort"));
    }
}
