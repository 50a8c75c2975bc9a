using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Lending.Domain.Escalation;
using Lending.Domain.Loans;
using Lending.Domain.Loans.Delinquency;
using Lending.Domain.Products;

namespace Lending.Domain.Tests.Loans;

/// <summary>Penalty accrues at full precision and is booked in whole cents; fees count towards the cap where the product says.</summary>
public class PenaltyPrecisionTests
{
    private static readonly DateOnly Jan15 = new(2026, 1, 15);

    [Fact]
    public void A_small_overdue_balance_accrues_the_capped_rate_not_a_cent_a_day()
    {
        // 10.00 for 30 days at 18% under a 24% cap: the penalty rate is 6%, 0.0016 a day (per-day rounding booked 0.01).
        var b = LoanBuilder.Disbursed(10m, rate: 0.18m, amortization: Amortization.Bullet, termDays: 30, on: Jan15);
        var due = Jan15.AddDays(30);
        b.CloseThrough(due.AddDays(3 + 365));

        var penalty = b.Loan.Installments[0].Penalty;
        var exact = 10m * 0.06m * 365 / 365; // the 365 days past grace
        Assert.Equal(0.60m, penalty);
        Assert.True(penalty <= exact && exact - penalty < 0.01m);
        Assert.Equal(365, b.Events.OfType<PenaltyAccrued>().Count()); // every day is recorded, booked cents or not
    }

    public static Arbitrary<(int PrincipalCents, int RateBp, int CapBp, int MultiplierPct, int Days, bool Act360)> Spans() =>
        (from principal in Gen.Choose(1, 10_000_000)
         from rate in Gen.Choose(0, 3_600)
         from cap in Gen.Choose(100, 3_600)
         from multiplier in Gen.Choose(0, 300)
         from days in Gen.Choose(1, 1_000)
         from act360 in ArbMap.Default.GeneratorFor<bool>()
         select (principal, rate, cap, multiplier, days, act360)).ToArbitrary();

    [Property(Arbitrary = [typeof(PenaltyPrecisionTests)], MaxTest = 200)]
    public bool Over_any_span_the_booked_penalty_is_the_exact_accrual_less_under_a_cent(
        (int PrincipalCents, int RateBp, int CapBp, int MultiplierPct, int Days, bool Act360) p)
    {
        var rate = Math.Min(p.RateBp, p.CapBp) / 10_000m;
        var terms = new ProductTerms(Amortization.Bullet, null, null, 30, rate, p.Act360 ? DayCount.Act360 : DayCount.Act365, 0,
            p.MultiplierPct / 100m, 0m, p.CapBp / 10_000m, ConductProfile.CnNifa, "CNY", ProductTerms.DefaultAllocationOrder, 0m);
        var overdue = p.PrincipalCents / 100m;
        var loan = Loan.Evolve(null, new LoanDisbursed(Guid.NewGuid(), "P", terms, TestData.Borrower(), overdue, "CNY", Jan15, null, null,
            "sup", TestData.Now, Jan15));
        loan = Loan.Evolve(loan, new RepaymentScheduleSet(loan.Id, [new(1, Jan15.AddDays(30), overdue, 0m)], "disbursement", Jan15));

        for (var day = 1; day <= p.Days; day++)
        {
            var line = LoanCloseOfBusiness.PenaltyOfDay(loan, loan.Installments[0]);
            loan = Loan.Evolve(loan, new PenaltyAccrued(loan.Id, terms.PenaltyRate, terms.YearBasis, [line], Jan15.AddDays(30 + day)));
        }

        var exact = overdue * terms.PenaltyRate * p.Days / terms.YearBasis;
        var booked = loan.Installments[0].Penalty;
        return booked <= exact && exact - booked < 0.01m && Money.HasAtMostTwoDecimals(booked)
            && terms.AnnualRate + terms.PenaltyRate <= terms.RateCap;
    }

    [Fact]
    public void Where_fees_count_towards_the_cap_a_late_fee_that_would_cross_it_is_clipped_and_the_clipping_recorded()
    {
        // 24% contract under a 24% cap, 19 Feb: allowance 12,000 × 24% × 35 / 365 = 276.16; cost 240.00 (instalment 1)
        // + 4 of instalment 2's 28 days (222.14 × 4 / 28 = 31.73): 4.43 of room is left for a 50.00 fee.
        var capped = LoanBuilder.Disbursed(rate: 0.24m, lateFee: 50m).CloseThrough(new DateOnly(2026, 2, 19));
        var fee = Assert.Single(capped.Events.OfType<LateFeeCharged>());
        Assert.Equal((4.43m, 45.57m), (fee.Amount, fee.Clipped));
        Assert.True(capped.Loan.Terms.FeesWithinCap); // CN-NIFA's default

        // A fee larger than the room is cut to it, so the total cost stays within cap × principal-days.
        var partly = LoanBuilder.Disbursed(rate: 0.12m, lateFee: 1_000m).CloseThrough(new DateOnly(2026, 2, 19));
        var cut = Assert.Single(partly.Events.OfType<LateFeeCharged>());
        Assert.Equal(1_000m, cut.Amount + cut.Clipped);
        Assert.InRange(cut.Amount, 1m, 999m);
        var date = new DateOnly(2026, 2, 19);
        Assert.True(BorrowingCost.Cost(partly.Loan, date) <= BorrowingCost.Allowance(partly.Loan, date));
        Assert.True(BorrowingCost.Allowance(partly.Loan, date) - BorrowingCost.Cost(partly.Loan, date) < 0.01m);
    }

    [Fact]
    public void Where_fees_stand_apart_from_the_cap_the_fee_is_charged_in_full()
    {
        var regF = LoanBuilder.Disbursed(rate: 0.24m, lateFee: 50m, profile: ConductProfile.UsRegF).CloseThrough(new DateOnly(2026, 2, 19));
        Assert.False(regF.Loan.Terms.FeesWithinCap);
        Assert.Equal((50m, 0m), regF.Events.OfType<LateFeeCharged>().Select(f => (f.Amount, f.Clipped)).Single());

        var optedOut = LoanBuilder.Disbursed(rate: 0.24m, lateFee: 50m, feesWithinCap: false).CloseThrough(new DateOnly(2026, 2, 19));
        Assert.Equal(50m, optedOut.Loan.Installments[0].Fees);
    }
}
