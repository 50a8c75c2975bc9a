using Lending.Api.Auth;
using Lending.Api.Tests.Infrastructure;
using Marten;

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

        ReadTogether(log, "mt_doc_loan ");
    }

    [Fact]
    public async Task Reading_a_loan_reads_it_and_the_business_date_in_one_round_trip()
    {
        await DefineCashProduct();
        var id = await DisburseLoan();

        var log = await Logged(() => GetLoan(id));

        ReadTogether(log, "mt_doc_loan ");
    }

    [Fact]
    public async Task A_queue_page_and_the_business_date_are_read_in_one_round_trip()
    {
        await DefineCashProduct();
        await Assign(await DisburseLoan(), "collector-7");

        var log = await Logged(() => As(Roles.Collector, s => s.Get.Url("/collectors/collector-7/queue"), "collector-7"));

        ReadTogether(log, "work_queue");
    }

    /// <summary>Exactly one round trip reads the table or the calendar, and it reads both.</summary>
    private static void ReadTogether(RoundTripLog log, string table)
    {
        var read = Assert.Single(log.Reading(table, "mt_doc_businesscalendar"));
        Assert.Contains(read, sql => sql.Contains(table));
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
}
