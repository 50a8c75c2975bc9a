using Lending.Domain.Escalation;
using Lending.Domain.Loans;
using Lending.Domain.Loans.Delinquency;
using Lending.Domain.Restructuring;
using Lending.Domain.Tests.Loans;

namespace Lending.Domain.Tests.Escalation;

/// <summary>A write-off proposal stands only while the loan qualifies; closing or curing the loan withdraws it.</summary>
public class WriteOffGuardTests
{
    private static readonly DateOnly Due1 = new(2026, 2, 15);
    private static readonly DateOnly Day180 = Due1.AddDays(180);

    private static LoanBuilder Proposed()
    {
        var b = LoanBuilder.Disbursed().CloseThrough(Day180);
        b.Then(WriteOffDecisions.Propose(b.Loan, Guid.NewGuid(), EscalationActions.System, Day180, TestData.Now,
            EscalationLadder.Default.MinDpdOf(EscalationStage.WriteOff))!);
        return b;
    }

    [Fact]
    public void Paying_off_withdraws_a_pending_proposal()
    {
        var b = Proposed();
        var events = b.Pay(LoanPosition.Of(b.Loan, Day180).TotalOutstanding, Day180);

        var withdrawn = Assert.Single(events.OfType<WriteOffWithdrawn>());
        Assert.Equal("paid_off", withdrawn.Reason);
        Assert.Null(b.Loan.PendingWriteOff);
        Assert.Equal("write_off.no_proposal", Assert.Throws<LendingRuleViolated>(() =>
            WriteOffDecisions.Approve(b.Loan, "sup-2", Day180, TestData.Now)).Code);
    }

    [Fact]
    public void Curing_the_arrears_withdraws_a_pending_proposal()
    {
        var b = Proposed();
        var events = b.Pay(LoanPosition.ArrearsOf(b.Loan, Day180) + b.Loan.Installments.Sum(i => i.PenaltyDue), Day180);

        Assert.Contains(events, e => e is LoanCured);
        Assert.Equal("cured", Assert.Single(events.OfType<WriteOffWithdrawn>()).Reason);
    }

    [Fact]
    public void A_settlement_paid_withdraws_a_pending_proposal()
    {
        var b = Proposed();
        b.Then(RestructuringDecisions.Request(b.Loan, new RestructureTerms(RestructureType.Settlement, null, null, null, 5_000m), "hardship",
            [], "agent-7", Guid.NewGuid(), Day180, TestData.Now));
        b.Then([.. RestructuringDecisions.Approve(b.Loan, "sup-1", Day180, TestData.Now, BucketPolicy.Default)]);

        var events = b.Pay(5_000m, Day180);

        Assert.Contains(events, e => e is LoanSettled);
        Assert.Equal("settled", Assert.Single(events.OfType<WriteOffWithdrawn>()).Reason);
    }

    [Fact]
    public void Approval_refuses_a_loan_that_no_longer_qualifies()
    {
        var b = Proposed();
        // The two oldest instalments paid: the loan is 121 days past due (15 Apr), under the ladder's 180.
        b.Pay(b.Loan.Installments.Take(2).Sum(i => i.TotalDue), Day180);
        Assert.Equal(121, LoanPosition.DpdOf(b.Loan, Day180));

        var refusal = Assert.Throws<LendingRuleViolated>(() => WriteOffDecisions.Approve(b.Loan, "sup-2", Day180, TestData.Now));
        Assert.Equal(("write_off.no_longer_qualifies", RefusalKind.Conflict), (refusal.Code, refusal.Kind));
    }

    [Fact]
    public void A_rejected_proposal_can_be_proposed_again_by_a_supervisor_with_a_reason()
    {
        var b = Proposed();
        b.Then(WriteOffDecisions.Reject(b.Loan, "borrower found work", "sup-1", Day180, TestData.Now));
        Assert.Null(b.Loan.PendingWriteOff);

        var again = WriteOffDecisions.ProposeBySupervisor(b.Loan, "no payment since", "sup-1", Guid.NewGuid(), Day180.AddDays(30), TestData.Now);
        b.Then(again);

        Assert.Equal(("sup-1", "no payment since", 1), (again.ProposedBy, again.Reason, again.MinDpd));
        Assert.Equal("write_off.pending", Assert.Throws<LendingRuleViolated>(() =>
            WriteOffDecisions.ProposeBySupervisor(b.Loan, "x", "sup-2", Guid.NewGuid(), Day180.AddDays(30), TestData.Now)).Code);
        Assert.Equal(LoanStatus.WrittenOff, Loan.Evolve(b.Loan, WriteOffDecisions.Approve(b.Loan, "sup-2", Day180.AddDays(30), TestData.Now)).Status);
    }

    [Fact]
    public void A_current_loan_is_not_proposed_for_write_off()
    {
        var b = LoanBuilder.Disbursed();
        Assert.Equal("write_off.not_delinquent", Assert.Throws<LendingRuleViolated>(() =>
            WriteOffDecisions.ProposeBySupervisor(b.Loan, "x", "sup-1", Guid.NewGuid(), Due1, TestData.Now)).Code);
    }

    [Fact]
    public void Restructure_approval_refuses_a_loan_closed_since_the_request()
    {
        var b = LoanBuilder.Disbursed().CloseThrough(Due1.AddDays(10));
        b.Then(RestructuringDecisions.Request(b.Loan, new RestructureTerms(RestructureType.Extension, 2, null, null, null), "illness", [],
            "agent-7", Guid.NewGuid(), Due1.AddDays(10), TestData.Now));
        b.Pay(LoanPosition.Of(b.Loan, Due1.AddDays(10)).TotalOutstanding, Due1.AddDays(10));
        Assert.Equal(LoanStatus.PaidOff, b.Loan.Status);

        var refusal = Assert.Throws<LendingRuleViolated>(() =>
            RestructuringDecisions.Approve(b.Loan, "sup-1", Due1.AddDays(11), TestData.Now, BucketPolicy.Default));
        Assert.Equal(("restructure.loan_closed", RefusalKind.Conflict), (refusal.Code, refusal.Kind));
    }
}

public class WriteOffReproposalTests
{
    private static readonly DateOnly Day180 = new DateOnly(2026, 2, 15).AddDays(180);

    [Fact]
    public void The_ladder_proposes_again_after_the_configured_days_while_the_loan_still_qualifies()
    {
        var b = LoanBuilder.Disbursed().CloseThrough(Day180);
        b.Then(WriteOffDecisions.Propose(b.Loan, Guid.NewGuid(), EscalationActions.System, Day180, TestData.Now, 180)!);
        b.Then(WriteOffDecisions.Reject(b.Loan, "family will settle", "sup-1", Day180, TestData.Now));

        Assert.False(WriteOffDecisions.DueAgain(b.Loan, Day180.AddDays(29), 180, 30));
        Assert.True(WriteOffDecisions.DueAgain(b.Loan, Day180.AddDays(30), 180, 30));

        b.Then(WriteOffDecisions.Propose(b.Loan, Guid.NewGuid(), EscalationActions.System, Day180.AddDays(30), TestData.Now, 180)!);
        Assert.False(WriteOffDecisions.DueAgain(b.Loan, Day180.AddDays(31), 180, 30)); // one is pending
    }

    [Fact]
    public void A_loan_paid_under_the_threshold_since_the_rejection_is_not_proposed_again()
    {
        var b = LoanBuilder.Disbursed().CloseThrough(Day180);
        b.Then(WriteOffDecisions.Propose(b.Loan, Guid.NewGuid(), EscalationActions.System, Day180, TestData.Now, 180)!);
        b.Then(WriteOffDecisions.Reject(b.Loan, "family will settle", "sup-1", Day180, TestData.Now));
        b.Pay(b.Loan.Installments.Take(3).Sum(i => i.TotalDue), Day180);

        Assert.False(WriteOffDecisions.DueAgain(b.Loan, Day180.AddDays(30), 180, 30));
    }
}
