using System.Collections.Concurrent;
using Lending.Api.Tests.Infrastructure;
using Marten;
using Marten.Services;
using Npgsql;

namespace Lending.Api.Tests.Loans;

/// <summary>
/// A write on a loan reads what it needs in one round trip: the loan (<c>[WriteAggregate]</c>) and today's business
/// date go to PostgreSQL as one batch, not one after the other.
/// </summary>
public class WriteRoundTripsTests(AppFixture app) : ApiTest(app)
{
    [Fact]
    public async Task A_payment_reads_its_loan_and_the_business_date_in_one_round_trip()
    {
        await DefineCashProduct();
        var id = await DisburseLoan();
        var options = ((DocumentStore)App.Store).Options;
        var previous = options.Logger();
        var log = new RoundTripLog();
        options.Logger(log);
        try
        {
            await Pay(id, 100m, "round-trips-1");
        }
        finally
        {
            options.Logger(previous);
        }

        var reads = log.RoundTrips.Where(r => r.Any(ReadsLoanOrCalendar)).ToList();
        var read = Assert.Single(reads);
        Assert.Contains(read, sql => sql.Contains("mt_doc_loan "));
        Assert.Contains(read, sql => sql.Contains("mt_doc_businesscalendar"));
    }

    private static bool ReadsLoanOrCalendar(string sql) =>
        sql.TrimStart().StartsWith("select", StringComparison.OrdinalIgnoreCase)
        && (sql.Contains("mt_doc_loan ") || sql.Contains("mt_doc_businesscalendar"));

    /// <summary>Every round trip of every session opened while it is the store's logger, as its statements.</summary>
    private sealed class RoundTripLog : IMartenLogger, IMartenSessionLogger
    {
        public ConcurrentQueue<string[]> RoundTrips { get; } = new();

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
