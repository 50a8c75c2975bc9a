using Lending.Api.Setup;
using Lending.Api.Tests.Infrastructure;
using Lending.Domain;
using Lending.Domain.CloseOfBusiness;
using Lending.Domain.Escalation;
using Lending.Domain.Loans;
using Lending.Domain.Loans.Delinquency;
using Lending.Projections.Loans;
using Marten;
using Marten.Services;
using Npgsql;
using System.Text.Json;

namespace Lending.Api.Tests.Loans;

/// <summary>
/// Close of business writes a part's loans with <see cref="LoanBatchWrite"/>: one version-checked append and one write
/// per table. It must store exactly what Marten's append and the inline projection store for the same events, and a
/// stream that moved must fail the whole part with nothing written.
/// </summary>
public class LoanBatchWriteTests(AppFixture app) : ApiTest(app)
{
    private static readonly DateOnly AfterFirstDue = new(2026, 3, 10);

    [Fact]
    public async Task A_batch_write_stores_the_rows_marten_and_the_inline_projection_store_for_the_same_events()
    {
        await DefineCashProduct();
        var (worked, unassigned) = (await DisburseLoan(), await DisburseLoan(principal: 5_000m));
        await Assign(worked, "agent-7");
        var loans = await Read(worked, unassigned);
        var closed = loans.Select(l => (Before: l, Closed: Close(l))).ToList();
        Assert.All(closed, c => Assert.NotEmpty(c.Closed.Events));

        var throughMarten = await InRolledBackTransaction(loans, session =>
        {
            LoansForWriting.Hold(session, loans);
            foreach (var (before, day) in closed) session.Events.Append(before.Id, before.Version + day.Events.Count, [.. day.Events]);
        });
        var inOneBatch = await InRolledBackTransaction(loans, session => session.QueueOperation(Batch(closed)));

        // The assigned loan has a row in its collector's queue, the other none.
        Assert.Equal([JsonValueKind.Object, JsonValueKind.Null],
            throughMarten.Select(r => JsonDocument.Parse(r).RootElement.GetProperty("queue").ValueKind));
        Assert.Equal(throughMarten, inOneBatch);
    }

    [Fact]
    public async Task A_stream_that_moved_since_it_was_read_fails_the_whole_batch_and_nothing_is_written()
    {
        await DefineCashProduct();
        var (first, raced) = (await DisburseLoan(), await DisburseLoan());
        var loans = await Read(first, raced);
        await Pay(raced, 100m, "MOVED-1"); // the stream moves past the version the batch was decided on
        var before = await Snapshots(loans);

        await using var session = App.Store.LightweightSession();
        session.QueueOperation(Batch([.. loans.Select(l => (l, Close(l)))]));
        var failed = await Assert.ThrowsAnyAsync<Exception>(() => session.SaveChangesAsync());

        Assert.True(LoanBatchWrite.IsStreamConflict(failed), failed.ToString());
        Assert.Equal(before, await Snapshots(loans));
    }

    private static LoanDayClosed Close(Loan loan) =>
        CloseOfBusinessDay.Close(loan, AfterFirstDue, BucketPolicy.Default, EscalationLadder.Default, LendingPolicy.Default);

    private static LoanBatchWrite Batch(IEnumerable<(Loan Before, LoanDayClosed Closed)> closed) =>
        new([.. closed.Select(c => new LoanWrite(c.Before, c.Closed.Events, c.Closed.Loan))], MartenSetup.DocumentSchema, MartenSetup.EventSchema,
            MartenSetup.CobIndexColumn, LendingPolicy.Default.WorkQueue);

    private async Task<List<Loan>> Read(params Guid[] ids)
    {
        await using var session = App.Store.QuerySession();
        var loans = await session.LoadManyAsync<Loan>(ids);
        return [.. ids.Select(id => loans.Single(l => l.Id == id))]; // in the order asked
    }

    /// <summary>Saves in a transaction of its own, reads what the save wrote for each loan, and rolls it all back.</summary>
    private async Task<List<string>> InRolledBackTransaction(IReadOnlyList<Loan> loans, Action<IDocumentSession> write)
    {
        await using var connection = new NpgsqlConnection(App.ConnectionString);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var session = App.Store.LightweightSession(SessionOptions.ForTransaction(transaction)))
        {
            (session.CorrelationId, session.CausationId) = ("run-1", "batch-1");
            write(session);
            await session.SaveChangesAsync();
        }
        var rows = new List<string>();
        foreach (var loan in loans) rows.Add(await Rows(connection, loan.Id, loan.Version));
        await transaction.RollbackAsync();
        return rows;
    }

    private async Task<List<string>> Snapshots(IReadOnlyList<Loan> loans)
    {
        await using var connection = new NpgsqlConnection(App.ConnectionString);
        await connection.OpenAsync();
        var rows = new List<string>();
        foreach (var loan in loans) rows.Add(await Rows(connection, loan.Id, 0));
        return rows;
    }

    /// <summary>
    /// Everything stored for a loan but what is an instant or an identity of the write itself (event ids, sequence
    /// numbers, timestamps): its events after a version (in sequence order), its stream, its document and its queue row.
    /// </summary>
    private static async Task<string> Rows(NpgsqlConnection connection, Guid id, long after)
    {
        var (events, docs) = (MartenSetup.EventSchema, MartenSetup.DocumentSchema);
        await using var command = new NpgsqlCommand($"""
            select json_build_object(
              'events', (select json_agg(json_build_object('version', version, 'type', type, 'dotnet', mt_dotnet_type, 'data', data,
                  'tenant', tenant_id, 'archived', is_archived, 'causation', causation_id, 'correlation', correlation_id,
                  'headers', headers, 'no headers', headers is null, 'bdata', bdata) order by seq_id)
                from {events}.mt_events where stream_id = $1 and version > $2),
              'stream', (select json_build_object('version', version, 'type', type, 'archived', is_archived, 'tenant', tenant_id)
                from {events}.mt_streams where id = $1),
              'document', (select json_build_object('data', data, 'version', mt_version, 'dotnet', mt_dotnet_type,
                  'due', {MartenSetup.CobIndexColumn}) from {docs}.mt_doc_loan where id = $1),
              'queue', (select row_to_json(q) from {docs}.work_queue q where loan_id = $1))::text
            """, connection) { Parameters = { new() { Value = id }, new() { Value = after } } };
        return (string)(await command.ExecuteScalarAsync())!;
    }
}
