using Lending.Domain.Loans;
using Lending.Domain.Loans.Delinquency;

namespace Lending.Domain.Tests.Loans;

/// <summary>
/// 12,000 at 12% over 12 months disbursed 15 Jan 2026. A period's interest becomes owed the day after it begins,
/// and close of business records that as <see cref="InterestCharged"/>, so the amounts a loan owes change only
/// through its events.
/// </summary>
public class InterestChargeTests
{
    private static readonly DateOnly Disbursed = new(2026, 1, 15);
    private static readonly DateOnly Due1 = new(2026, 2, 15);

    [Fact]
    public void The_day_after_disbursement_the_first_period_is_charged_once()
    {
        var b = LoanBuilder.Disbursed();
        Assert.Equal(Disbursed, b.Loan.CloseOfBusinessDueDate);

        b.CloseThrough(Disbursed.AddDays(1));
        var charged = Assert.Single(b.Events.OfType<InterestCharged>());
        Assert.Equal((1, 120.00m, Due1, Disbursed.AddDays(1)), (charged.Installment, charged.Amount, charged.DueDate, charged.BusinessDate));
        Assert.Equal(Due1, b.Loan.CloseOfBusinessDueDate);

        b.CloseThrough(Due1);
        Assert.Single(b.Events.OfType<InterestCharged>());
    }

    [Fact]
    public void A_period_paid_on_time_charges_the_next_one_the_day_after_its_due_date()
    {
        var b = LoanBuilder.Disbursed().CloseThrough(Due1);
        b.Pay(1_066.19m, Due1);
        Assert.Equal(Due1, b.Loan.CloseOfBusinessDueDate);

        b.CloseThrough(Due1.AddDays(1));
        var second = b.Events.OfType<InterestCharged>().Last();
        Assert.Equal((2, 110.54m), (second.Installment, second.Amount));
        Assert.Equal(new DateOnly(2026, 3, 15), b.Loan.CloseOfBusinessDueDate);
    }

    [Fact]
    public void A_prepaid_period_is_never_charged()
    {
        var b = LoanBuilder.Disbursed().CloseThrough(Disbursed.AddDays(1));
        b.Pay(12_120.00m, Disbursed.AddDays(1)); // pays off: later periods' interest is never owed
        Assert.Null(b.Loan.CloseOfBusinessDueDate);
        Assert.Single(b.Events.OfType<InterestCharged>());
    }

    /// <summary>
    /// The invariant the analytics projections rely on: between two dates with events, nothing a loan owes (nor its
    /// bucket) changes with the calendar alone.
    /// </summary>
    [Fact]
    public void Between_event_dates_what_a_loan_owes_and_its_bucket_do_not_change()
    {
        var b = LoanBuilder.Disbursed(lateFee: 25m).CloseThrough(Due1);
        b.Pay(1_066.19m, Due1);
        b.CloseThrough(new DateOnly(2026, 4, 20));
        b.Pay(500m, new DateOnly(2026, 4, 20));
        b.CloseThrough(new DateOnly(2026, 7, 31));

        var eventDates = b.Events.OfType<ILoanEvent>().Select(e => e.BusinessDate).ToHashSet();
        for (var d = Disbursed; d < new DateOnly(2026, 7, 31); d = d.AddDays(1))
        {
            if (eventDates.Contains(d.AddDays(1))) continue;
            var state = Loan.AsOf(b.Events, d)!;
            var (today, tomorrow) = (LoanPosition.Of(state, d), LoanPosition.Of(state, d.AddDays(1)));
            Assert.Equal((today.PrincipalOutstanding, today.TotalOutstanding), (tomorrow.PrincipalOutstanding, tomorrow.TotalOutstanding));
            Assert.Equal(state.Bucket, BucketPolicy.Default.For(LoanPosition.DpdOf(state, d.AddDays(1))));
        }
    }
}
