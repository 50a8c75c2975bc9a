using Lending.Api.Auth;
using Lending.Api.Tests.Infrastructure;
using Lending.Domain.Collections;
using Lending.Domain.Loans;
using Lending.Domain.Loans.Delinquency;
using Lending.Domain.Loans.Payments;

namespace Lending.Api.Tests.Loans;

/// <summary>
/// A payment accepted while the next date's close of business runs is booked for its own business date but written
/// after the loan's events of the next date. <c>?asOf=</c> and the analytics for its date both count it.
/// </summary>
public class TimeTravelInterleavingTests(AppFixture app) : ApiTest(app)
{
    [Fact]
    public async Task An_event_booked_for_a_date_after_events_of_the_next_date_counts_on_its_own_date_in_loans_and_analytics()
    {
        await DefineCashProduct();
        var loanId = await DisburseLoan();
        await AdvanceDays(28 + 10); // 10 Mar: close of business for 10 Mar has accrued on the loan
        var day9 = new DateOnly(2026, 3, 9);
        var before9 = await GetLoan(loanId, "2026-03-09");

        // The collector's request read business date 9 Mar; close of business for 10 Mar committed first.
        await using (var session = App.Store.LightweightSession())
        {
            var loan = (await session.LoadAsync<Loan>(loanId))!;
            Assert.True(loan.LastBusinessDate == day9.AddDays(1));
            var events = PaymentDecisions.Decide(new RecordPayment("teller-0309", 500m, day9), loan, day9, BucketPolicy.Default,
                new CollectionsActor("sup-1", true), DateTimeOffset.UtcNow, PaymentPolicy.Default);
            session.Events.Append(loanId, loan.Version + events.Count, [.. events]);
            await session.SaveChangesAsync();
        }

        var asOf9 = await GetLoan(loanId, "2026-03-09");
        Assert.Equal(before9.GetProperty("totalOutstanding").GetDecimal() - 500m, asOf9.GetProperty("totalOutstanding").GetDecimal());
        Assert.Equal((await GetLoan(loanId)).GetProperty("version").GetInt64(), asOf9.GetProperty("version").GetInt64());

        await WaitForProjections();
        foreach (var date in new[] { "2026-03-09", "2026-03-10" })
        {
            var loan = await GetLoan(loanId, date);
            var summary = await ReadJson(await As(Roles.RiskAnalyst, s => s.Get.Url($"/analytics/delinquency?asOf={date}")));
            var bucket = summary.GetProperty("buckets").EnumerateArray().Single(b => b.GetProperty("loans").GetInt64() == 1);
            Assert.Equal((loan.GetProperty("bucket").GetString(), loan.GetProperty("totalOutstanding").GetDecimal()),
                (bucket.GetProperty("bucket").GetString(), bucket.GetProperty("totalOutstanding").GetDecimal()));
        }
    }
}
