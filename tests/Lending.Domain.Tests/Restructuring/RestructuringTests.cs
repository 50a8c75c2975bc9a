using Lending.Domain.Escalation;
using Lending.Domain.Loans;
using Lending.Domain.Loans.Delinquency;
using Lending.Domain.Restructuring;
using Lending.Domain.Tests.Loans;

namespace Lending.Domain.Tests.Restructuring;

/// <summary>Instalment 1 of the test loan (12,000 at 12%, 12 months) falls due on 15 Feb 2026; grace 3 days.</summary>
public class RestructuringTests
{
    private static readonly DateOnly Due1 = new(2026, 2, 15);
    private static readonly DateOnly Day40 = Due1.AddDays(40);

    private static LoanBuilder LateLoanWith(RestructureTerms terms)
    {
        var b = LoanBuilder.Disbursed(lateFee: 25m).CloseThrough(Day40);
        b.Then(RestructuringDecisions.Request(b.Loan, terms, "lost job in January", ["termination letter"], "agent-7", Guid.NewGuid(), Day40, TestData.Now));
        return b;
    }

    private static IReadOnlyList<ILoanEvent> Approve(LoanBuilder b, string approver = "sup-1") =>
        RestructuringDecisions.Approve(b.Loan, approver, Day40, TestData.Now, BucketPolicy.Default);

    [Fact]
    public void The_proposer_cannot_approve_and_a_second_request_waits_for_the_first()
    {
        var b = LateLoanWith(new RestructureTerms(RestructureType.Extension, 2, null, null, null));
        Assert.Equal("restructure.same_person", Assert.Throws<LendingRuleViolated>(() => Approve(b, "agent-7")).Code);
        Assert.Equal("restructure.pending", Assert.Throws<LendingRuleViolated>(() => RestructuringDecisions.Request(b.Loan,
            new RestructureTerms(RestructureType.Extension, 1, null, null, null), "x", [], "agent-7", Guid.NewGuid(), Day40, TestData.Now)).Code);
    }

    [Fact]
    public void A_decision_names_the_request_it_decides_and_the_checker_s_note_is_kept()
    {
        var b = LateLoanWith(new RestructureTerms(RestructureType.Extension, 2, null, null, null));
        var waiting = b.Loan.Restructuring.Pending!.RequestId;
        Assert.Equal("restructure.no_request", Assert.Throws<LendingRuleViolated>(() =>
            RestructuringDecisions.Approve(b.Loan, "sup-1", Day40, TestData.Now, BucketPolicy.Default, Guid.NewGuid())).Code);
        Assert.Equal("restructure.no_request", Assert.Throws<LendingRuleViolated>(() =>
            RestructuringDecisions.Reject(b.Loan, "no", "sup-1", Day40, TestData.Now, Guid.NewGuid())).Code);

        var approved = RestructuringDecisions.Approve(b.Loan, "sup-1", Day40, TestData.Now, BucketPolicy.Default, waiting, " Discharge letter seen ")
            .OfType<LoanRestructured>().Single();
        Assert.Equal("Discharge letter seen", approved.Note);
    }

    [Fact]
    public void An_extension_shifts_what_is_open_by_n_periods_and_cures_the_arrears()
    {
        var b = LateLoanWith(new RestructureTerms(RestructureType.Extension, 2, null, null, null));
        var owedBefore = LoanPosition.Of(b.Loan, Day40);
        var unpaidBefore = b.Loan.Installments.Sum(i => i.TotalDue);

        var events = Approve(b);
        b.Then([.. events]);

        var restructured = events.OfType<LoanRestructured>().Single();
        Assert.Equal(12, restructured.Replaced.Count);
        Assert.Equal(new DateOnly(2026, 4, 15), restructured.Installments[0].DueDate);
        Assert.Equal(unpaidBefore, b.Loan.Installments.Sum(i => i.TotalDue)); // nothing forgiven, nothing added
        Assert.Equal(owedBefore.PrincipalOutstanding, LoanPosition.Of(b.Loan, Day40).PrincipalOutstanding);
        Assert.Equal((LoanStatus.Restructured, 0, EscalationStage.None), (b.Loan.Status, LoanPosition.DpdOf(b.Loan, Day40), b.Loan.Stage));
        Assert.Contains(events, e => e is LoanCured);
        Assert.Equal(EscalationStage.LateCollection, restructured.StageAtRestructure);
    }

    [Fact]
    public void An_instalment_plan_spreads_the_arrears_and_reamortizes_the_principal()
    {
        var b = LateLoanWith(new RestructureTerms(RestructureType.InstallmentPlan, 18, null, null, null));
        var billedInterest = LoanPosition.Billed(b.Loan, Day40).Sum(i => i.InterestDue);
        var penalty = b.Loan.Installments.Sum(i => i.PenaltyDue);
        var fees = b.Loan.Installments.Sum(i => i.FeesDue);

        var restructured = Approve(b).OfType<LoanRestructured>().Single();

        Assert.Equal(18, restructured.Installments.Count);
        Assert.Equal(12_000m, restructured.Installments.Sum(i => i.Principal));
        Assert.Equal(penalty, restructured.Installments.Sum(i => i.Penalty));
        Assert.Equal(fees, restructured.Installments.Sum(i => i.Fees));
        Assert.True(restructured.Installments.Sum(i => i.Interest) > billedInterest);
        Assert.Equal(Day40.AddMonths(1), restructured.Installments[0].DueDate);
    }

    [Fact]
    public void A_penalty_waiver_forgives_penalty_then_fees_up_to_the_amount()
    {
        var b = LateLoanWith(new RestructureTerms(RestructureType.PenaltyWaiver, null, null, 20m, null));
        var penaltyBefore = b.Loan.Installments.Sum(i => i.PenaltyDue);
        Assert.InRange(penaltyBefore, 10m, 20m);
        b.Then([.. Approve(b)]);
        Assert.Equal(0m, b.Loan.Installments.Sum(i => i.PenaltyDue));
        Assert.Equal(50m - (20m - penaltyBefore), b.Loan.Installments.Sum(i => i.FeesDue)); // the rest of the 20 off the late fees
    }

    [Fact]
    public void Missing_a_restructured_instalment_past_grace_is_a_plan_breach_that_escalates_at_once()
    {
        var b = LateLoanWith(new RestructureTerms(RestructureType.InstallmentPlan, 6, null, null, null));
        b.Then([.. Approve(b)]);
        var firstNew = b.Loan.Installments.First(i => i.Number >= b.Loan.Restructuring.FirstRestructuredInstallment);

        b.CloseThrough(firstNew.DueDate.AddDays(3));
        Assert.Empty(b.Events.OfType<PlanBreached>());

        b.CloseThrough(firstNew.DueDate.AddDays(4));
        var breach = Assert.Single(b.Events.OfType<PlanBreached>());
        Assert.Equal(firstNew.Number, breach.Installment);
        Assert.Equal(EscalationStage.LegalReview, b.Loan.Stage);
        Assert.Contains(b.Events.OfType<LoanEscalated>(), e => e.To == EscalationStage.LegalReview && e.Reason == "plan breach after a restructure");
    }

    [Fact]
    public void A_rate_reduction_reamortizes_what_is_not_yet_due_at_the_new_rate()
    {
        var b = LateLoanWith(new RestructureTerms(RestructureType.RateReduction, null, 0.06m, null, null));
        var future = b.Loan.Installments.Where(i => i.DueDate > Day40).ToList();
        var overdue = b.Loan.Installments.Where(i => i.DueDate <= Day40).Select(i => i.TotalDue).ToList();

        var restructured = Approve(b).OfType<LoanRestructured>().Single();
        b.Then(restructured);

        Assert.Equal(future.Select(i => i.Number), restructured.Replaced);
        Assert.Equal(future.Sum(i => i.PrincipalDue), restructured.Installments.Sum(i => i.Principal));
        Assert.True(restructured.Installments.Sum(i => i.Interest) < future.Sum(i => i.InterestDue));
        // The running period (15 Mar – 15 Apr, approved 27 Mar): 12 days at 12%, then 19 days at 6%.
        var running = future[0];
        var oldRateDays = Money.Round(running.Interest * 12 / 31);
        var newRateDays = Money.Round(Money.Round(future.Sum(i => i.PrincipalDue) * 0.005m) * 19 / 31);
        Assert.Equal(oldRateDays + newRateDays, restructured.Installments[0].Interest);
        Assert.Equal(running.Interest - oldRateDays, restructured.InterestReleased);
        Assert.Equal(overdue, b.Loan.Installments.Where(i => i.DueDate <= Day40).Select(i => i.TotalDue)); // arrears stand
        Assert.Equal("restructure.new_rate_invalid", Assert.Throws<LendingRuleViolated>(() =>
            LateLoanWith(new RestructureTerms(RestructureType.RateReduction, null, 0.12m, null, null))).Code);
    }

    [Fact]
    public void A_paid_settlement_closes_the_loan_and_forgives_the_rest()
    {
        var b = LateLoanWith(new RestructureTerms(RestructureType.Settlement, null, null, null, 8_000m));
        b.Then([.. Approve(b)]);
        Assert.Equal(LoanStatus.Restructured, b.Loan.Status);

        Assert.Empty(b.Pay(5_000m, Day40).OfType<LoanSettled>());
        var settled = Assert.Single(b.Pay(3_000m, Day40).OfType<LoanSettled>());

        Assert.Equal(LoanStatus.Settled, b.Loan.Status);
        Assert.Equal(8_000m, settled.SettlementAmount);
        Assert.True(settled.Forgiven > 4_000m);
        Assert.Equal("restructure.settlement_amount_invalid", Assert.Throws<LendingRuleViolated>(() =>
            LateLoanWith(new RestructureTerms(RestructureType.Settlement, null, null, null, 50_000m))).Code);
    }

    [Fact]
    public void A_collector_proposes_a_restructure_only_for_a_loan_in_their_queue()
    {
        var b = LoanBuilder.Disbursed().CloseThrough(Day40);
        var terms = new RestructureTerms(RestructureType.Extension, 1, null, null, null);
        var refused = Assert.Throws<LendingRuleViolated>(() => RestructuringDecisions.Request(b.Loan, terms, "illness", [],
            new Lending.Domain.Collections.CollectionsActor("agent-8", false), Guid.NewGuid(), Day40, TestData.Now));
        Assert.Equal(("loan.not_assigned_to_you", RefusalKind.Forbidden), (refused.Code, refused.Kind));
        Assert.Equal("sup-1", RestructuringDecisions.Request(b.Loan, terms, "illness", [],
            new Lending.Domain.Collections.CollectionsActor("sup-1", true), Guid.NewGuid(), Day40, TestData.Now).ProposedBy);
    }
}

