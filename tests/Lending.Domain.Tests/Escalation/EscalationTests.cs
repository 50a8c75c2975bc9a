using Lending.Domain.Collections;
using Lending.Domain.Escalation;
using Lending.Domain.Loans;
using Lending.Domain.Tests.Loans;

namespace Lending.Domain.Tests.Escalation;

/// <summary>Instalment 1 of the test loan falls due on 15 Feb 2026; grace is 3 days.</summary>
public class EscalationTests
{
    private static readonly DateOnly Due1 = new(2026, 2, 15);

    private static IReadOnlyList<LoanEscalated> Escalations(LoanBuilder b) => b.Events.OfType<LoanEscalated>().ToList();

    [Theory]
    [InlineData(1, EscalationStage.Reminder)]
    [InlineData(3, EscalationStage.Reminder)]
    [InlineData(4, EscalationStage.EarlyCollection)]
    [InlineData(30, EscalationStage.EarlyCollection)]
    [InlineData(31, EscalationStage.LateCollection)]
    [InlineData(61, EscalationStage.Demand)]
    [InlineData(91, EscalationStage.LegalReview)]
    [InlineData(179, EscalationStage.LegalReview)]
    [InlineData(180, EscalationStage.WriteOff)]
    public void Each_stage_is_entered_at_its_dpd(int dpd, EscalationStage stage) =>
        Assert.Equal(stage, LoanBuilder.Disbursed().CloseThrough(Due1.AddDays(dpd)).Loan.Stage);

    [Fact]
    public void Day_by_day_every_stage_is_entered_once_in_order_with_its_action()
    {
        var b = LoanBuilder.Disbursed().CloseThrough(Due1.AddDays(200));

        Assert.Equal([EscalationStage.Reminder, EscalationStage.EarlyCollection, EscalationStage.LateCollection, EscalationStage.Demand,
            EscalationStage.LegalReview, EscalationStage.WriteOff], Escalations(b).Select(e => e.To));
        Assert.Equal([EscalationAction.ReminderNotice, EscalationAction.AssignCollectorQueue, EscalationAction.AssignSeniorQueue,
            EscalationAction.DemandLetter, EscalationAction.LegalReferral, EscalationAction.WriteOffProposal], Escalations(b).Select(e => e.Action));
        Assert.Equal([1, 4, 31, 61, 91, 180], Escalations(b).Select(e => e.Dpd));
    }

    [Fact]
    public void A_loan_found_late_passes_every_stage_in_between_on_the_same_day()
    {
        var b = LoanBuilder.Disbursed();
        b.Then([.. EscalationDecisions.Decide(b.Loan, Due1.AddDays(65), EscalationLadder.Default)]);

        Assert.Equal([EscalationStage.Reminder, EscalationStage.EarlyCollection, EscalationStage.LateCollection, EscalationStage.Demand],
            Escalations(b).Select(e => e.To));
        Assert.All(Escalations(b), e => Assert.Equal(Due1.AddDays(65), e.BusinessDate));
        Assert.Empty(EscalationDecisions.Decide(b.Loan, Due1.AddDays(65), EscalationLadder.Default));
    }

    [Fact]
    public void Two_broken_promises_accelerate_to_late_collection()
    {
        var b = LoanBuilder.Disbursed().CloseThrough(Due1.AddDays(5));
        foreach (var (made, due) in new[] { (Due1.AddDays(1), Due1.AddDays(5)), (Due1.AddDays(6), Due1.AddDays(7)) })
        {
            var id = Guid.NewGuid();
            b.Then(new PromiseToPayMade(b.Loan.Id, id, Guid.NewGuid(), 100m, due, "a", made),
                new PromiseBroken(b.Loan.Id, id, 100m, 0m, due, due.AddDays(1)));
        }

        var late = Assert.Single(EscalationDecisions.Decide(b.Loan, Due1.AddDays(8), EscalationLadder.Default).OfType<LoanEscalated>());
        Assert.Equal((EscalationStage.LateCollection, "2 broken promises"), (late.To, late.Reason));
    }

    [Fact]
    public void Stages_never_move_back_but_a_cure_leaves_the_ladder()
    {
        var b = LoanBuilder.Disbursed().CloseThrough(Due1.AddDays(40));
        Assert.Equal(EscalationStage.LateCollection, b.Loan.Stage);

        b.Pay(500m, Due1.AddDays(40)); // part of the arrears: DPD stays 40, the stage stays
        Assert.Equal(EscalationStage.LateCollection, b.Loan.Stage);

        var arrears = b.Loan.Installments.Where(i => i.DueDate < Due1.AddDays(40)).Sum(i => i.TotalDue);
        var cure = b.Pay(arrears, Due1.AddDays(40));
        Assert.Equal(EscalationStage.LateCollection, Assert.Single(cure.OfType<LoanCured>()).From);
        Assert.Equal(EscalationStage.None, b.Loan.Stage);
    }

    [Fact]
    public void A_demand_letter_states_what_is_owed_and_offers_a_plan()
    {
        var b = LoanBuilder.Disbursed().CloseThrough(Due1.AddDays(61));
        var notice = Notices.For(b.Loan, EscalationAction.DemandLetter, EscalationStage.Demand, Due1.AddDays(61))!;

        Assert.Equal(NoticeKind.DemandLetter, notice.Kind);
        Assert.Contains("催告函", notice.Text);
        Assert.Contains("61 days past due", notice.Text);
        Assert.Contains("instalment plan", notice.Text);
        Assert.Equal(Notices.IdFor(b.Loan.Id, Due1.AddDays(61), EscalationStage.Demand), notice.NoticeId);
    }

    [Fact]
    public void A_write_off_is_approved_by_someone_other_than_its_proposer()
    {
        var b = LoanBuilder.Disbursed().CloseThrough(Due1.AddDays(180));
        b.Then(WriteOffDecisions.Propose(b.Loan, Guid.NewGuid(), "sup-1", Due1.AddDays(180), TestData.Now)!);
        Assert.Null(WriteOffDecisions.Propose(b.Loan, Guid.NewGuid(), "sup-1", Due1.AddDays(180), TestData.Now));

        Assert.Equal("write_off.same_person", Assert.Throws<LendingRuleViolated>(() =>
            WriteOffDecisions.Approve(b.Loan, "sup-1", Due1.AddDays(181), TestData.Now)).Code);
        var written = WriteOffDecisions.Approve(b.Loan, "sup-2", Due1.AddDays(181), TestData.Now);
        b.Then(written);

        Assert.Equal(LoanStatus.WrittenOff, b.Loan.Status);
        Assert.Equal(12_000m, written.PrincipalWrittenOff);
        var recovery = Assert.IsType<PaymentReceived>(Assert.Single(b.Pay(300m, Due1.AddDays(182))));
        Assert.True(recovery.Recovery);
        Assert.Equal(LoanStatus.WrittenOff, b.Loan.Status);
    }
}
