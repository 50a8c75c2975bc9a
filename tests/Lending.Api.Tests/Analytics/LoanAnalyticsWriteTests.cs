using Lending.Api.Tests.Infrastructure;
using Lending.Projections.Analytics;
using Marten;
using Marten.Services;
using Npgsql;

namespace Lending.Api.Tests.Analytics;

/// <summary>
/// The analytics projection writes a page's loan rows with <see cref="LoanAnalyticsWrite"/>, one statement for the
/// page: it must store what storing each document through Marten stores (the replay and the roll-rate query read those
/// rows), for rows that exist and rows that do not yet.
/// </summary>
public class LoanAnalyticsWriteTests(AppFixture app) : ApiTest(app)
{
    [Fact]
    public async Task A_page_written_in_one_statement_stores_the_rows_marten_stores_for_the_same_documents()
    {
        await DefineCashProduct();
        var (first, second) = (await DisburseLoan(), await DisburseLoan(principal: 5_000m));
        await Pay(first, 400m, "analytics-row-1");
        await WaitForProjections();
        List<LoanAnalytics> rows;
        await using (var query = App.Store.QuerySession())
            rows = [.. await query.LoadManyAsync<LoanAnalytics>(first, second)];
        Assert.Equal(2, rows.Count);
        // Changed since stored (an update), and one the table has not seen (an insert).
        rows[0].State = "Bucket1To30";
        rows[0].PrincipalOutstanding -= 1.25m;
        rows[0].LastDate = rows[0].LastDate.AddDays(3);
        var fresh = Copy(rows[1]);
        fresh.Id = Guid.NewGuid();
        fresh.Region = "West";
        rows.Add(fresh);

        var throughMarten = await InRolledBackTransaction(rows, session => session.Store<LoanAnalytics>(rows));
        var inOneStatement = await InRolledBackTransaction(rows, session =>
            session.QueueOperation(new LoanAnalyticsWrite(rows, new AnalyticsSchema("lending"))));

        Assert.Equal(3, throughMarten.Count);
        Assert.Contains("Bucket1To30", throughMarten[0]);
        Assert.All(throughMarten, r => Assert.EndsWith(" true true", r));
        Assert.Equal(throughMarten, inOneStatement);
    }

    private LoanAnalytics Copy(LoanAnalytics row)
    {
        var serializer = App.Store.Options.Serializer();
        return serializer.FromJson<LoanAnalytics>(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(serializer.ToJson(row))));
    }

    /// <summary>
    /// Each row as stored, every column but those that identify the write itself (its instant, its version), then
    /// rolled back.
    /// </summary>
    private async Task<List<string>> InRolledBackTransaction(IReadOnlyList<LoanAnalytics> rows, Action<IDocumentSession> write)
    {
        await using var connection = new NpgsqlConnection(App.ConnectionString);
        await connection.OpenAsync();
        var versions = new Dictionary<Guid, Guid>();
        await using (var committed = new NpgsqlCommand("select id, mt_version from lending.mt_doc_loananalytics where id = any($1)", connection)
                     { Parameters = { new() { Value = rows.Select(r => r.Id).ToArray() } } })
        await using (var reader = await committed.ExecuteReaderAsync())
            while (await reader.ReadAsync()) versions[reader.GetGuid(0)] = reader.GetGuid(1);
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var session = App.Store.LightweightSession(SessionOptions.ForTransaction(transaction)))
        {
            write(session);
            await session.SaveChangesAsync();
        }
        var stored = new List<string>();
        foreach (var row in rows)
        {
            // The version is new with every write, as Marten gives it (compared with the committed row's).
            await using var read = new NpgsqlCommand(
                "select (to_jsonb(t) - 'mt_version' - 'mt_last_modified')::text || ' ' || (t.mt_last_modified = transaction_timestamp())::text " +
                "|| ' ' || (t.mt_version is distinct from $2)::text from lending.mt_doc_loananalytics t where id = $1", connection, transaction)
            { Parameters = { new() { Value = row.Id }, new() { Value = versions.GetValueOrDefault(row.Id) } } };
            stored.Add((string)(await read.ExecuteScalarAsync())!);
        }
        await transaction.RollbackAsync();
        return stored;
    }
}
