using Lending.Domain.Loans;
using Lending.Domain.Loans.Delinquency;

namespace Lending.Domain.Escalation;

/// <summary>A charge-off proposed for approval (maker): the amounts are those owed on the day it was proposed.</summary>
public sealed record WriteOffProposed(
    Guid LoanId, Guid ProposalId, int Dpd, decimal PrincipalOutstanding, decimal TotalOutstanding, string ProposedBy,
    DateTimeOffset RecordedAt, DateOnly BusinessDate) : ILoanEvent;

public sealed record WriteOffRejected(Guid LoanId, Guid ProposalId, string Reason, string RejectedBy, DateTimeOffset RecordedAt,
    DateOnly BusinessDate) : ILoanEvent;

/// <summary>
/// The loan is charged off (checker approved). Collection may go on; later payments are booked as recoveries.
/// </summary>
public sealed record LoanWrittenOff(
    Guid LoanId, Guid ProposalId, decimal PrincipalWrittenOff, decimal InterestWrittenOff, decimal PenaltyWrittenOff,
    decimal FeesWrittenOff, string ApprovedBy, DateTimeOffset RecordedAt, DateOnly BusinessDate) : ILoanEvent;

public sealed record PendingWriteOff(Guid ProposalId, string ProposedBy, int Dpd, decimal TotalOutstanding, DateOnly ProposedOn);

public static class WriteOffDecisions
{
    public static WriteOffProposed? Propose(Loan loan, Guid proposalId, string proposedBy, DateOnly date, DateTimeOffset now)
    {
        if (loan.IsClosed || loan.PendingWriteOff is not null) return null;
        var p = LoanPosition.Of(loan, date);
        return new WriteOffProposed(loan.Id, proposalId, p.Dpd, p.PrincipalOutstanding, p.TotalOutstanding, proposedBy, now, date);
    }

    /// <summary>Maker–checker: a supervisor other than the proposer approves.</summary>
    public static LoanWrittenOff Approve(Loan loan, string approver, DateOnly date, DateTimeOffset now)
    {
        var pending = Pending(loan);
        if (pending.ProposedBy == approver)
            throw new LendingRuleViolated("write_off.same_person", "The proposer of a write-off cannot approve it.", RefusalKind.Forbidden);
        var p = LoanPosition.Of(loan, date);
        return new LoanWrittenOff(loan.Id, pending.ProposalId, p.PrincipalOutstanding, p.InterestOutstanding, p.PenaltyOutstanding,
            p.FeesOutstanding, approver, now, date);
    }

    public static WriteOffRejected Reject(Loan loan, string reason, string rejecter, DateOnly date, DateTimeOffset now) =>
        new(loan.Id, Pending(loan).ProposalId, reason, rejecter, now, date);

    private static PendingWriteOff Pending(Loan loan) => loan.PendingWriteOff
        ?? throw new LendingRuleViolated("write_off.no_proposal", "There is no write-off proposal pending on this loan.", RefusalKind.Conflict);
}
