using Lending.Domain.Escalation;
using Lending.Domain.Loans;
using Lending.Domain.Loans.Delinquency;
using Lending.Domain.Restructuring;
using Lending.Domain.Tests.Loans;

namespace Lending.Domain.Tests.Restructuring;

/// <summary>
/// A restructured schedule is billed, allocated and aged like the original one. The test loan (12,000 at 12% over 12
/// months from 15 Jan 2026) falls due on the 15th; instalment 3's period runs 15 Mar – 15 Apr (31 days).
/// </summary>
public class RestructuredBillingTests
{
    private static readonly DateOnly Due1 = new(2026, 2, 15);
    private static readonly DateOnly Day40 = Due1.AddDays(40); // 27 Mar: instalments 1 and 2 overdue, 3 running for 12 days

    private static LoanBuilder Restructured(RestructureTerms terms, DateOnly on, decimal lateFee = 25m)
    {
        return LoanBuilder.Disbursed(lateFee: lateFee).CloseThrough(on).Restructure(terms, on);
    }

    private static RestructureTerms Plan(int n) => new(RestructureType.InstallmentPlan, n, null, null, null);
    private static RestructureTerms Extension(int n) => new(RestructureType.Extension, n, null, null, null);

    [Fact]
    public void Paying_a_new_instalment_on_its_due_date_collects_its_interest_and_waives_nothing()
    {
        var b = Restructured(Plan(6), Day40);
        var first = b.FirstRestructured;
        b.CloseThrough(first.DueDate);
        Assert.Contains(b.Events.OfType<InterestCharged>(), c => c.Installment == first.Number && c.BusinessDate == Day40.AddDays(1));

        var payment = b.Pay(first.TotalDue, first.DueDate).OfType<PaymentReceived>().Single();

        var line = Assert.Single(payment.Lines);
        Assert.Equal((first.Number, first.Interest, first.Principal, 0m), (line.Installment, line.Interest, line.Principal, line.InterestWaived));
        Assert.True(b.Loan.Schedule.Single(i => i.Number == first.Number).IsSettled);
        b.CloseThrough(first.DueDate.AddDays(10));
        Assert.Equal(0, LoanPosition.DpdOf(b.Loan, first.DueDate.AddDays(10)));
        Assert.Empty(b.Events.OfType<PlanBreached>());
    }

    [Fact]
    public void New_instalments_age_accrue_penalty_and_breach_by_due_date()
    {
        var b = Restructured(Plan(6), Day40);
        var first = b.FirstRestructured;

        b.CloseThrough(first.DueDate.AddDays(5));

        Assert.Equal(5, LoanPosition.DpdOf(b.Loan, first.DueDate.AddDays(5)));
        var accrued = b.Events.OfType<PenaltyAccrued>().Where(p => p.BusinessDate > first.DueDate).ToList();
        Assert.Equal([first.Number, first.Number], accrued.SelectMany(p => p.Lines).Select(l => l.Installment)); // days 4 and 5
        Assert.Equal(first.Number, Assert.Single(b.Events.OfType<PlanBreached>()).Installment);
    }

    [Fact]
    public void A_plan_that_starts_mid_period_charges_each_day_of_the_running_period_once()
    {
        var b = LoanBuilder.Disbursed(lateFee: 25m).CloseThrough(Day40);
        var before = b.Loan;
        var i1 = before.Installments[0].Interest;
        var i2 = before.Installments[1].Interest;
        var i3 = before.Installments[2].Interest;
        var earned3 = Money.Round(i3 * 12 / 31); // 15 Mar → 27 Mar
        var payoffBefore = LoanPosition.Of(before, Day40).TotalOutstanding;

        b.Then(RestructuringDecisions.Request(b.Loan, Plan(6), "illness", [], "agent-7", Guid.NewGuid(), Day40, TestData.Now));
        var restructured = RestructuringDecisions.Approve(b.Loan, "sup-1", Day40, TestData.Now, BucketPolicy.Default)
            .OfType<LoanRestructured>().Single();
        b.Then(restructured);

        // Interest owed on the approval date is carried; the running period's days after it are charged by the plan only.
        Assert.Equal(i1 + i2 + earned3, restructured.Installments.Sum(n => n.InterestCarried));
        Assert.Equal(i3 - earned3, restructured.InterestReleased);
        Assert.Equal(Day40, restructured.Installments[0].PeriodStart);
        Assert.Equal(Money.Round(12_000m * 0.01m), restructured.Installments[0].Interest - restructured.Installments[0].InterestCarried);
        Assert.Equal(payoffBefore - restructured.InterestReleased, LoanPosition.Of(b.Loan, Day40).TotalOutstanding);
    }

    [Fact]
    public void A_settlement_forgives_only_what_was_owed_on_the_day_it_was_paid()
    {
        var b = Restructured(new RestructureTerms(RestructureType.Settlement, null, null, null, 8_000m), Day40);
        var owed = LoanPosition.Of(b.Loan, Day40).TotalOutstanding;

        var settled = b.Pay(8_000m, Day40).OfType<LoanSettled>().Single();

        Assert.Equal(owed - 8_000m, settled.Forgiven);
    }

    [Theory]
    [InlineData(RestructureType.Extension, 1)]
    [InlineData(RestructureType.Extension, 3)]
    [InlineData(RestructureType.InstallmentPlan, 6)]
    public void Approval_leaves_a_loan_current_whatever_its_dpd_and_the_next_close_of_business_does_nothing_to_it(RestructureType type, int periods)
    {
        var day100 = Due1.AddDays(100); // DPD 100: at legal review, demand letter sent
        var before = LoanBuilder.Disbursed(lateFee: 25m).CloseThrough(day100);
        Assert.Equal(EscalationStage.LegalReview, before.Loan.Stage);
        var owedBefore = LoanPosition.Of(before.Loan, day100).TotalOutstanding;

        var b = Restructured(new RestructureTerms(type, periods, null, null, null), day100);

        Assert.Equal(0, LoanPosition.DpdOf(b.Loan, day100));
        Assert.All(b.Loan.Schedule.Where(i => i.DueDate <= day100), i => Assert.True(i.IsSettled));
        Assert.Equal((EscalationStage.None, DelinquencyBucket.Current), (b.Loan.Stage, b.Loan.Bucket));
        if (type == RestructureType.Extension) Assert.Equal(owedBefore, LoanPosition.Of(b.Loan, day100).TotalOutstanding);

        var next = LoanCloseOfBusiness.Decide(b.Loan, day100.AddDays(1), BucketPolicy.Default, EscalationLadder.Default);
        Assert.DoesNotContain(next, e => e is PlanBreached or LoanEscalated or PenaltyAccrued or LateFeeCharged or DelinquencyBucketChanged);
    }

    [Fact]
    public void An_extension_carries_overdue_amounts_to_the_first_new_date_after_approval()
    {
        var day100 = Due1.AddDays(100); // 26 May: instalments 1–4 overdue (15 Feb … 15 May)
        var overdue = LoanBuilder.Disbursed(lateFee: 25m).CloseThrough(day100).Loan.Schedule.Where(i => i.DueDate < day100).ToList();

        var restructured = Restructured(Extension(1), day100).Events.OfType<LoanRestructured>().Single();

        // Shifted one month, instalments 1–4 fall on 15 Mar … 15 Jun: the first three join 15 Jun (instalment 4's).
        var first = restructured.Installments[0];
        Assert.Equal(new DateOnly(2026, 6, 15), first.DueDate);
        Assert.Equal(overdue.Sum(i => i.PrincipalDue), first.Principal);
        Assert.Equal(overdue.Sum(i => i.PenaltyDue + i.FeesDue), first.Penalty + first.Fees);
        Assert.Equal(9, restructured.Installments.Count); // then instalments 5–12, 15 Jul … 15 Feb 2027
        Assert.Equal(new DateOnly(2027, 2, 15), restructured.Installments[^1].DueDate);
    }
}

public class RestructureOnRestructureTests
{
    [Fact]
    public void A_rate_reduction_after_a_plan_keeps_the_interest_the_plan_carried()
    {
        var day40 = new DateOnly(2026, 2, 15).AddDays(40);
        var b = LoanBuilder.Disbursed().CloseThrough(day40).Restructure(new RestructureTerms(RestructureType.InstallmentPlan, 6, null, null, null), day40);
        var first = b.FirstRestructured;
        b.CloseThrough(first.DueDate);
        b.Pay(first.TotalDue, first.DueDate);
        var carried = b.Loan.Schedule.Sum(i => i.CarriedInterestDue);
        var payoff = LoanPosition.Of(b.Loan, first.DueDate).TotalOutstanding;
        Assert.True(carried > 0m);

        // Approved on the plan's due date: the next period has not begun, so only carried interest is owed today.
        b.Then(RestructuringDecisions.Request(b.Loan, new RestructureTerms(RestructureType.RateReduction, null, 0.06m, null, null), "hardship",
            [], "agent-7", Guid.NewGuid(), first.DueDate, TestData.Now));
        b.Then([.. RestructuringDecisions.Approve(b.Loan, "sup-1", first.DueDate, TestData.Now, BucketPolicy.Default)]);

        Assert.Equal(carried, b.Loan.Schedule.Sum(i => i.CarriedInterestDue));
        Assert.Equal(payoff, LoanPosition.Of(b.Loan, first.DueDate).TotalOutstanding);
    }
}

public class ValueDatedPlanPaymentTests
{
    [Fact]
    public void A_plan_instalment_paid_in_grace_but_posted_after_the_breach_withdraws_the_breach()
    {
        var day40 = new DateOnly(2026, 2, 15).AddDays(40);
        var b = LoanBuilder.Disbursed().CloseThrough(day40).Restructure(new RestructureTerms(RestructureType.InstallmentPlan, 6, null, null, null), day40);
        var first = b.FirstRestructured;
        var owed = first.TotalDue;
        b.CloseThrough(first.DueDate.AddDays(5)); // breached on day 4, escalated to legal review
        Assert.True(b.Loan.Restructuring.PlanBreached);

        // Paid on day 1, within grace; the bank posted it on day 5.
        var events = b.Pay(owed, first.DueDate.AddDays(1), "bank", bookedOn: first.DueDate.AddDays(5));

        Assert.True(events.OfType<LedgerRefigured>().Single().PlanBreachWithdrawn);
        Assert.False(b.Loan.Restructuring.PlanBreached);
        Assert.Equal((0, EscalationStage.None), (LoanPosition.DpdOf(b.Loan, first.DueDate.AddDays(5)), b.Loan.Stage));
    }
}

