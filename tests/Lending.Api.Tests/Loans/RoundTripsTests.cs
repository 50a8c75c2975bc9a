using System.Collections.Concurrent;
using Lending.Api.Auth;
using Lending.Api.Tests.Infrastructure;
using Marten;
using Marten.Services;
using Npgsql;

namespace Lending.Api.Tests.Loans;

/// <summary>
/// The busiest requests read what they need in one round trip: the loan (or the queue's page) and today's business
/// date go to PostgreSQL as one batch, not one after the other.
/// </summary>
public class RoundTripsTests(AppFixture app) : ApiTest(app)
{
    [Fact]
    public async Task A_payment_reads_its_loan_and_the_business_date_in_one_round_trip()
    {
        await DefineCashProduct();
        var id = await DisburseLoan();

        var log = await Logged(() => Pay(id, 100m, "round-trips-1"));

        var read = Assert.Single(log.Reading("mt_doc_loan ", "mt_doc_businesscalendar"));
        Assert.Contains(read, sql => sql.Contains("mt_doc_loan "));
        Assert.Contains(read, sql => sql.Contains("mt_doc_businesscalendar"));
    }

    [Fact]
    public async Task Reading_a_loan_reads_it_and_the_business_date_in_one_round_trip()
    {
        await DefineCashProduct();
        var id = await DisburseLoan();

        var log = await Logged(() => GetLoan(id));

        var read = Assert.Single(log.Reading("mt_doc_loan ", "mt_doc_businesscalendar"));
        Assert.Contains(read, sql => sql.Contains("mt_doc_loan "));
        Assert.Contains(read, sql => sql.Contains("mt_doc_businesscalendar"));
    }

    [Fact]
    public async Task A_queue_page_and_the_business_date_are_read_in_one_round_trip()
    {
        await DefineCashProduct();
        await Assign(await DisburseLoan(), "collector-7");

        var log = await Logged(() => As(Roles.Collector, s => s.Get.Url("/collectors/collector-7/queue"), "collector-7"));

        var read = Assert.Single(log.Reading("work_queue", "mt_doc_businesscalendar"));
        Assert.Contains(read, sql => sql.Contains("work_queue"));
        Assert.Contains(read, sql => sql.Contains("mt_doc_businesscalendar"));
    }

    /// <summary>Every round trip of every session opened while <paramref name="act"/> runs.</summary>
    private async Task<RoundTripLog> Logged(Func<Task> act)
    {
        var options = ((DocumentStore)App.Store).Options;
        var previous = options.Logger();
        var log = new RoundTripLog();
        options.Logger(log);
        try
        {
            await act();
        }
        finally
        {
            options.Logger(previous);
        }
        return log;
    }

    /// <summary>Every round trip of every session opened while it is the store's logger, as its statements.</summary>
    private sealed class RoundTripLog : IMartenLogger, IMartenSessionLogger
    {
        public ConcurrentQueue<string[]> RoundTrips { get; } = new();

        /// <summary>The round trips with a select that names any of the tables.</summary>
        public List<string[]> Reading(params string[] tables) => RoundTrips.Where(r => r.Any(sql =>
            sql.TrimStart().StartsWith("select", StringComparison.OrdinalIgnoreCase) && tables.Any(sql.Contains))).ToList();

        public IMartenSessionLogger StartSession(IQuerySession session) => this;
        public void SchemaChange(string sql) { }
        public void OnBeforeExecute(NpgsqlCommand command) => RoundTrips.Enqueue([command.CommandText]);
        public void OnBeforeExecute(NpgsqlBatch batch) => RoundTrips.Enqueue([.. batch.BatchCommands.Cast<NpgsqlBatchCommand>().Select(c => c.CommandText)]);
        public void LogSuccess(NpgsqlCommand command) { }
        public void LogFailure(NpgsqlCommand command, Exception ex) { }
        public void LogSuccess(NpgsqlBatch batch) { }
        public void LogFailure(NpgsqlBatch batch, Exception ex) { }
        public void LogFailure(Exception ex, string message) { }
        public void RecordSavedChanges(IDocumentSession session, IChangeSet commit) { }
    }
}
