using Lending.Domain.CloseOfBusiness;
using Lending.Domain.Escalation;
using Lending.Domain.Loans;
using Lending.Domain.Loans.Delinquency;
using Lending.Domain.Tests.Loans;

namespace Lending.Domain.Tests.CloseOfBusiness;

/// <summary>What close of business does to one loan on one date, and the actions it hands on, on the loan's own ladder.</summary>
public class CloseOfBusinessDayTests
{
    private static readonly DateOnly Due1 = new(2026, 2, 15);

    private static readonly EscalationLadder Short = new([
        new(EscalationStage.Reminder, EscalationAction.ReminderNotice, MinDpd: 1),
        new(EscalationStage.EarlyCollection, EscalationAction.AssignCollectorQueue, AfterGrace: true),
        new(EscalationStage.LateCollection, EscalationAction.AssignSeniorQueue, MinDpd: 15),
        new(EscalationStage.WriteOff, EscalationAction.WriteOffProposal, MinDpd: 40),
    ]);

    [Fact]
    public void A_stage_entered_hands_on_its_action_with_the_threshold_of_the_loans_own_ladder()
    {
        var b = LoanBuilder.Disbursed();
        for (var d = b.Loan.LastBusinessDate.AddDays(1); d < Due1.AddDays(40); d = d.AddDays(1))
            b.Then([.. CloseOfBusinessDay.Close(b.Loan, d, BucketPolicy.Default, Short, LendingPolicy.Default).Events]);

        var day = CloseOfBusinessDay.Close(b.Loan, Due1.AddDays(40), BucketPolicy.Default, Short, LendingPolicy.Default);

        Assert.Equal(EscalationStage.WriteOff, Assert.Single(day.Events.OfType<LoanEscalated>()).To);
        Assert.Equal(new EscalationDue(EscalationStage.WriteOff, EscalationAction.WriteOffProposal, Due1.AddDays(40), 40), Assert.Single(day.Actions));
        Assert.Equal((EscalationStage.WriteOff, Due1.AddDays(40)), (day.Loan.Stage, day.Loan.LastBusinessDate));
    }

    [Fact]
    public void A_rejected_write_off_is_handed_on_again_once_the_policys_wait_is_over()
    {
        var day180 = Due1.AddDays(180);
        var b = LoanBuilder.Disbursed().CloseThrough(day180);
        b.Then(WriteOffDecisions.Propose(b.Loan, Guid.NewGuid(), EscalationActions.System, day180, TestData.Now, 180)!);
        b.Then(WriteOffDecisions.Reject(b.Loan, "family will settle", "sup-1", day180, TestData.Now));
        var policy = new LendingPolicy { WriteOffReproposeDays = 10 };
        b.CloseThrough(day180.AddDays(9));

        Assert.Empty(CloseOfBusinessDay.Close(b.Loan, day180.AddDays(9), BucketPolicy.Default, EscalationLadder.Default, policy).Actions);
        var day = CloseOfBusinessDay.Close(b.Loan, day180.AddDays(10), BucketPolicy.Default, EscalationLadder.Default, policy);
        Assert.Equal(new EscalationDue(EscalationStage.WriteOff, EscalationAction.WriteOffProposal, day180.AddDays(10), 180), Assert.Single(day.Actions));

        // The same date again (a batch run a second time): nothing recorded, nothing handed on.
        b.Then([.. day.Events]);
        var again = CloseOfBusinessDay.Close(b.Loan, day180.AddDays(10), BucketPolicy.Default, EscalationLadder.Default, policy);
        Assert.Equal((0, 0), (again.Events.Count, again.Actions.Count));
    }
}
