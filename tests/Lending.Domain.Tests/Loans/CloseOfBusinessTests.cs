using Lending.Domain.Escalation;
using Lending.Domain.Loans;
using Lending.Domain.Loans.Delinquency;
using Lending.Domain.Loans.Schedules;

namespace Lending.Domain.Tests.Loans;

/// <summary>
/// 12,000 at 12% over 12 months disbursed 15 Jan 2026: instalment 1 (946.19 principal + 120.00 interest) falls due
/// on 15 Feb. Grace is 3 days.
/// </summary>
public class CloseOfBusinessTests
{
    private static readonly DateOnly Due1 = new(2026, 2, 15);
    private static DateOnly Day(int daysAfterDue) => Due1.AddDays(daysAfterDue);

    private static IReadOnlyList<ILoanEvent> Close(LoanBuilder b, DateOnly date) => LoanCloseOfBusiness.Decide(b.Loan, date, BucketPolicy.Default, EscalationLadder.Default);

    [Fact]
    public void On_the_due_date_nothing_is_past_due_and_the_day_after_dpd_is_1_and_the_loan_moves_to_M1()
    {
        var b = LoanBuilder.Disbursed().CloseThrough(Due1);
        Assert.Equal(0, LoanPosition.DpdOf(b.Loan, Due1));
        Assert.Equal(DelinquencyBucket.Current, b.Loan.Bucket);

        var events = Close(b, Day(1));

        var moved = Assert.Single(events.OfType<DelinquencyBucketChanged>());
        Assert.Equal((DelinquencyBucket.Current, DelinquencyBucket.M1, 1), (moved.From, moved.To, moved.Dpd));
        b.Then([.. events]);
        Assert.Equal(LoanStatus.Overdue, b.Loan.Status);
    }

    [Fact]
    public void Within_grace_nothing_accrues_and_the_day_after_grace_penalty_starts()
    {
        var b = LoanBuilder.Disbursed().CloseThrough(Day(3));
        Assert.Equal(0m, b.Loan.Installments[0].Penalty);

        var accrued = Assert.Single(Close(b, Day(4)).OfType<PenaltyAccrued>());

        // Contract 12% × 1.5 = 18%, clipped to the cap: 24% − 12% = 12% a year on 946.19 overdue principal.
        Assert.Equal(0.12m, accrued.AnnualPenaltyRate);
        var line = Assert.Single(accrued.Lines);
        Assert.Equal((1, 946.19m, 0.31m), (line.Installment, line.OverduePrincipal, line.Amount));
    }

    [Fact]
    public void A_penalty_under_the_cap_accrues_at_contract_rate_times_the_multiplier()
    {
        var b = LoanBuilder.Disbursed(rate: 0.10m, cap: 0.36m).CloseThrough(Day(3));
        var accrued = Assert.Single(Close(b, Day(4)).OfType<PenaltyAccrued>());
        Assert.Equal(0.15m, accrued.AnnualPenaltyRate);
    }

    [Fact]
    public void A_penalty_over_the_cap_is_clipped_so_contract_plus_penalty_never_exceeds_it()
    {
        // DOMAIN.md's example: contract 18%, cap 24% → penalty accrues at 6%, not 27%.
        var b = LoanBuilder.Disbursed(rate: 0.18m, cap: 0.24m).CloseThrough(Day(3));
        var accrued = Assert.Single(Close(b, Day(4)).OfType<PenaltyAccrued>());
        Assert.Equal(0.06m, accrued.AnnualPenaltyRate);
        Assert.Equal(Money.Round(b.Loan.Installments[0].PrincipalDue * 0.06m / 365m), accrued.Amount);
    }

    [Fact]
    public void At_the_cap_no_penalty_accrues_at_all()
    {
        var b = LoanBuilder.Disbursed(rate: 0.24m, cap: 0.24m).CloseThrough(Day(10));
        Assert.Equal(0m, b.Loan.Installments.Sum(i => i.Penalty));
    }

    [Fact]
    public void Closing_a_date_twice_changes_nothing()
    {
        var b = LoanBuilder.Disbursed(lateFee: 50m).CloseThrough(Day(10));
        Assert.Empty(Close(b, Day(10)));
        Assert.Empty(Close(b, Day(9)));
    }

    [Fact]
    public void Penalty_accrues_every_day_past_grace_and_the_late_fee_once()
    {
        var b = LoanBuilder.Disbursed(lateFee: 50m).CloseThrough(Day(13));

        var first = b.Loan.Installments[0];
        // Days 4..13 at 12% on 946.19: 3.11075, booked in whole cents (per-day rounding booked 0.31 × 10 = 3.10).
        Assert.Equal(3.11m, first.Penalty);
        Assert.Equal(50m, first.Fees);
        Assert.Single(b.Events.OfType<LateFeeCharged>());
    }

    [Fact]
    public void Dpd_counts_from_the_oldest_unpaid_instalment_and_buckets_follow_the_ranges()
    {
        var b = LoanBuilder.Disbursed().CloseThrough(Day(31));
        Assert.Equal(31, LoanPosition.DpdOf(b.Loan, Day(31)));
        // The second instalment fell due on 15 Mar: 3 days later it is still within its own grace.
        Assert.Equal(0m, b.Loan.Installments[1].Penalty);
        Assert.Equal(DelinquencyBucket.M2, b.Loan.Bucket);
        Assert.Equal([DelinquencyBucket.M1, DelinquencyBucket.M2], b.Events.OfType<DelinquencyBucketChanged>().Select(e => e.To));
        b.CloseThrough(Day(32));
        Assert.True(b.Loan.Installments[1].Penalty > 0m);
    }

    [Fact]
    public void Arrears_under_the_materiality_floor_are_not_delinquent()
    {
        var b = LoanBuilder.Disbursed(tolerance: 10m).CloseThrough(Due1);
        b.Pay(1_066.19m - 9.99m, Due1);

        b.CloseThrough(Day(20));

        Assert.Equal(0, LoanPosition.DpdOf(b.Loan, Day(20)));
        Assert.Equal(DelinquencyBucket.Current, b.Loan.Bucket);
        Assert.Equal(0m, b.Loan.Installments.Sum(i => i.Penalty));
        Assert.Equal(9.99m, LoanPosition.ArrearsOf(b.Loan, Day(20)));
    }

    [Fact]
    public void Paused_days_do_not_count_and_accrue_nothing()
    {
        var b = LoanBuilder.Disbursed().CloseThrough(Day(5));
        var penaltyBefore = b.Loan.Installments[0].Penalty;
        b.Then(PauseDecisions.Pause(b.Loan, "dispute", Day(5), "sup", TestData.Now));

        b.CloseThrough(Day(15));
        Assert.Equal(5, LoanPosition.DpdOf(b.Loan, Day(15)));
        Assert.Equal(penaltyBefore, b.Loan.Installments[0].Penalty);

        b.Then(PauseDecisions.Resume(b.Loan, Day(15), "sup", TestData.Now));
        b.CloseThrough(Day(17));
        Assert.Equal(7, LoanPosition.DpdOf(b.Loan, Day(17)));
        Assert.Equal(penaltyBefore + 2 * 0.31m, b.Loan.Installments[0].Penalty);
    }

    [Fact]
    public void A_loan_paid_off_needs_no_close_of_business()
    {
        var b = LoanBuilder.Disbursed(1_000m, installments: 1);
        b.Pay(1_000m, new DateOnly(2026, 1, 15));
        Assert.Empty(Close(b, new DateOnly(2026, 3, 1)));
        Assert.Null(b.Loan.OldestUnpaidDueDate);
    }

    [Fact]
    public void The_close_of_business_index_points_at_the_oldest_unpaid_due_date()
    {
        var b = LoanBuilder.Disbursed();
        Assert.Equal(Due1, b.Loan.OldestUnpaidDueDate);
        b.Pay(1_066.19m, Due1);
        Assert.Equal(new DateOnly(2026, 3, 15), b.Loan.OldestUnpaidDueDate);
    }

    [Fact]
    public void Time_travel_folds_the_events_booked_up_to_the_date()
    {
        var b = LoanBuilder.Disbursed().CloseThrough(Day(10));

        var asOf = Loan.AsOf(b.Events, Day(5))!;

        Assert.Equal(DelinquencyBucket.M1, asOf.Bucket);
        Assert.Equal(2 * 0.31m, asOf.Installments[0].Penalty);
        Assert.Equal(5, LoanPosition.DpdOf(asOf, Day(5)));
        Assert.Null(Loan.AsOf(b.Events, new DateOnly(2026, 1, 14)));
    }

    [Fact]
    public void The_schedule_event_is_the_one_computed_at_disbursement() =>
        Assert.Equal(RepaymentSchedule.AnnuityPayment(12_000m, 0.01m, 12),
            LoanBuilder.Disbursed().Events.OfType<RepaymentScheduleSet>().Single().Installments[0].Total);
}
