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
    /// <param name="days">Days from 31 Jan: the business date once the next date's close of business has run.</param>
    /// <param name="amount">500 leaves the loan late; 2,500 cures it (a payment, a bucket change and a cure, on a month-end).</param>
    [Theory]
    [InlineData(28 + 10, 500)]
    [InlineData(28 + 32, 2_500)]
    public async Task An_event_booked_for_a_date_after_events_of_the_next_date_counts_on_its_own_date_in_loans_and_analytics(int days,
        int amount)
    {
        await DefineCashProduct();
        var loanId = await DisburseLoan();
        await AdvanceDays(days); // close of business for this date has accrued on the loan
        var day9 = AppFixture.StartDate.AddDays(days - 1);
        var before9 = await GetLoan(loanId, $"{day9:yyyy-MM-dd}");

        // The collector's request read business date 9 Mar; close of business for 10 Mar committed first.
        await using (var session = App.Store.LightweightSession())
        {
            var loan = (await session.LoadAsync<Loan>(loanId))!;
            Assert.True(loan.LastBusinessDate == day9.AddDays(1));
            var events = PaymentDecisions.Decide(new RecordPayment("teller", amount, day9), loan, day9, BucketPolicy.Default,
                new CollectionsActor("sup-1", true), DateTimeOffset.UtcNow, PaymentPolicy.Default);
            session.Events.Append(loanId, loan.Version + events.Count, [.. events]);
            await session.SaveChangesAsync();
        }

        var asOf9 = await GetLoan(loanId, $"{day9:yyyy-MM-dd}");
        Assert.Equal(before9.GetProperty("totalOutstanding").GetDecimal() - amount, asOf9.GetProperty("totalOutstanding").GetDecimal());
        Assert.Equal((await GetLoan(loanId)).GetProperty("version").GetInt64(), asOf9.GetProperty("version").GetInt64());

        await WaitForProjections();
        foreach (var date in new[] { $"{day9:yyyy-MM-dd}", $"{day9.AddDays(1):yyyy-MM-dd}" })
        {
            var loan = await GetLoan(loanId, date);
            var summary = await ReadJson(await As(Roles.RiskAnalyst, s => s.Get.Url($"/analytics/delinquency?asOf={date}")));
            var bucket = summary.GetProperty("buckets").EnumerateArray().Single(b => b.GetProperty("loans").GetInt64() == 1);
            Assert.Equal((loan.GetProperty("bucket").GetString(), loan.GetProperty("totalOutstanding").GetDecimal()),
                (bucket.GetProperty("bucket").GetString(), bucket.GetProperty("totalOutstanding").GetDecimal()));
        }
    }
}
