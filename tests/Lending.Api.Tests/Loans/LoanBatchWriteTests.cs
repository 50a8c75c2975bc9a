using Lending.Api.Setup;
using Lending.Api.Tests.Infrastructure;
using Lending.Domain;
using Lending.Domain.CloseOfBusiness;
using Lending.Domain.Escalation;
using Lending.Domain.Loans;
using Lending.Domain.Collections;
using Lending.Domain.Loans.Delinquency;
using Lending.Domain.Loans.Payments;
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
            foreach (var (before, day) in closed) session.Events.Append(before.Id, before.Version + day.Events.Count, [.. day.Events]);
        });
        var inOneBatch = await InRolledBackTransaction(loans, session => session.QueueOperation(Batch(closed)));

        // The assigned loan has a row in its collector's queue, the other none.
        Assert.Equal([JsonValueKind.Object, JsonValueKind.Null],
            throughMarten.Select(r => JsonDocument.Parse(r).RootElement.GetProperty("queue").ValueKind));
        Assert.Equal(throughMarten, inOneBatch);
    }

    [Fact]
    public async Task A_batch_that_starts_streams_and_books_payments_stores_what_marten_stores_for_them()
    {
        await DefineCashProduct();
        var existing = (await Read(await DisburseLoan()))[0];
        // A loan booked in the batch: the opening events of the one booked through the API, for a new stream.
        var bookedId = Guid.NewGuid();
        ILoanEvent[] opening;
        await using (var query = App.Store.QuerySession())
            opening = [.. (await query.Events.FetchStreamAsync(existing.Id)).Select(e => e.Data).TakeWhile(d => d is LoanDisbursed or RepaymentScheduleSet)
                .Select(d => d switch
                {
                    LoanDisbursed x => (ILoanEvent)(x with { LoanId = bookedId }),
                    RepaymentScheduleSet x => x with { LoanId = bookedId },
                    _ => throw new InvalidOperationException(),
                })];
        Assert.Contains(opening, e => e is RepaymentScheduleSet);
        var booked = opening.Aggregate((Loan?)null, (l, e) => Loan.Evolve(l, e))!;
        var paid = PaymentDecisions.Decide(new RecordPayment("BATCH-1", 150m, existing.LastBusinessDate), existing, existing.LastBusinessDate,
            BucketPolicy.Default, new CollectionsActor("supervisor-1", true), App.Clock.GetUtcNow(), PaymentPolicy.Default);
        var afterPayment = paid.Aggregate(existing, (l, e) => Loan.Evolve(l, e));

        var throughMarten = await InRolledBackTransaction([booked, existing], session =>
        {
            session.Events.StartStream<Loan>(booked.Id, [.. opening]);
            session.Events.Append(existing.Id, existing.Version + paid.Count, [.. paid]);
        });
        var inOneBatch = await InRolledBackTransaction([booked, existing], session => session.QueueOperation(Write(
            new LoanWrite(null, opening, booked), new LoanWrite(existing, paid, afterPayment))));

        Assert.Equal(throughMarten, inOneBatch);
        Assert.All(inOneBatch, r => Assert.NotEqual(JsonValueKind.Null, JsonDocument.Parse(r).RootElement.GetProperty("document").ValueKind));
        Assert.Equal(JsonValueKind.Object, JsonDocument.Parse(inOneBatch[1]).RootElement.GetProperty("payment").ValueKind);
    }

    [Fact]
    public async Task A_batch_reads_no_loan_back_and_stores_each_loan_as_its_stream_folds()
    {
        await DefineCashProduct();
        var loan = (await Read(await DisburseLoan()))[0];
        var closed = Close(loan);
        await using var session = App.Store.LightweightSession();
        var log = new RoundTripLog();
        session.Logger = log;

        session.QueueOperation(Batch([(loan, closed)]));
        await session.SaveChangesAsync();

        Assert.Equal(0, log.Selects("mt_doc_loan "));
        await using var query = App.Store.QuerySession();
        var events = await query.Events.FetchStreamAsync(loan.Id);
        var folded = events.Aggregate((Loan?)null, (l, e) => Loan.Evolve(l, e.Data))!;
        var stored = (await query.LoadAsync<Loan>(loan.Id))!;
        Assert.Equal(events.Count, stored.Version);
        Assert.Equal(loan.Version + closed.Events.Count, stored.Version);
        Assert.Equal(JsonSerializer.Serialize(folded with { Version = events.Count }), JsonSerializer.Serialize(stored));
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
        var failed = await Assert.ThrowsAsync<JasperFx.Events.EventStreamUnexpectedMaxEventIdException>(() => session.SaveChangesAsync());

        Assert.Equal(raced, failed.Id); // the stream that moved, as Marten's own version check names it
        Assert.Equal(before, await Snapshots(loans));
    }

    [Fact]
    public async Task The_append_function_as_installed_matches_its_definition_so_a_start_changes_nothing()
    {
        await using var connection = new NpgsqlConnection(App.ConnectionString);
        await connection.OpenAsync();
        var delta = await new AppendToLoanStreams(MartenSetup.EventSchema).FindDeltaAsync(connection);
        Assert.Equal(Weasel.Core.SchemaPatchDifference.None, delta.Difference);
    }

    private static LoanDayClosed Close(Loan loan) =>
        CloseOfBusinessDay.Close(loan, AfterFirstDue, BucketPolicy.Default, EscalationLadder.Default, LendingPolicy.Default);

    private static LoanBatchWrite Batch(IEnumerable<(Loan Before, LoanDayClosed Closed)> closed) =>
        Write([.. closed.Select(c => new LoanWrite(c.Before, c.Closed.Events, c.Closed.Loan))]);

    private static LoanBatchWrite Write(params LoanWrite[] writes) => MartenSetup.WriteLoans(writes, LendingPolicy.Default.WorkQueue);

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
    /// numbers, timestamps): its events after a version (in sequence order), its stream, its document, its queue row and
    /// the payment reference the tests book (with the version of the event it names).
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
              'queue', (select row_to_json(q) from {docs}.work_queue q where loan_id = $1),
              'payment', (select json_build_object('reference', reference, 'amount', amount, 'event', (select version from {events}.mt_events
                  where id = r.event_id)) from {docs}.payment_references r where loan_id = $1 and reference = 'BATCH-1'))::text
            """, connection) { Parameters = { new() { Value = id }, new() { Value = after } } };
        return (string)(await command.ExecuteScalarAsync())!;
    }
}
