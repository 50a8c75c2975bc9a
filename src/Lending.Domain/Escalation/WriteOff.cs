using Lending.Domain.Loans;
using Lending.Domain.Loans.Delinquency;

namespace Lending.Domain.Escalation;

/// <summary>
/// A charge-off proposed for approval (maker): the amounts are those owed on the day it was proposed. It qualifies while
/// the loan is open and at least <see cref="MinDpd"/> days past due (the ladder's write-off threshold, or 1 for a
/// supervisor's proposal, made with a <see cref="Reason"/>); approval checks that again.
/// </summary>
public sealed record WriteOffProposed(
    Guid LoanId, Guid ProposalId, int Dpd, decimal PrincipalOutstanding, decimal TotalOutstanding, string ProposedBy,
    DateTimeOffset RecordedAt, DateOnly BusinessDate, int MinDpd = 1, string? Reason = null) : ILoanEvent;

/// <summary>The proposal no longer stands: the loan was paid off, settled or cured before anyone decided on it.</summary>
public sealed record WriteOffWithdrawn(Guid LoanId, Guid ProposalId, string Reason, DateOnly BusinessDate) : ILoanEvent;

public sealed record WriteOffRejected(Guid LoanId, Guid ProposalId, string Reason, string RejectedBy, DateTimeOffset RecordedAt,
    DateOnly BusinessDate) : ILoanEvent;

/// <summary>
/// The loan is charged off (checker approved). Collection may go on; later payments are booked as recoveries.
/// </summary>
public sealed record LoanWrittenOff(
    Guid LoanId, Guid ProposalId, decimal PrincipalWrittenOff, decimal InterestWrittenOff, decimal PenaltyWrittenOff,
    decimal FeesWrittenOff, string ApprovedBy, DateTimeOffset RecordedAt, DateOnly BusinessDate, string? Note = null) : ILoanEvent;

public sealed record PendingWriteOff(Guid ProposalId, string ProposedBy, int Dpd, decimal TotalOutstanding, DateOnly ProposedOn,
    int MinDpd = 1, string? Reason = null);

public static class WriteOffDecisions
{
    /// <summary>
    /// A proposal, or null when the loan is closed or one is already pending (the ladder acting twice proposes once).
    /// A rejected proposal leaves none pending, so the loan can be proposed again.
    /// </summary>
    public static WriteOffProposed? Propose(Loan loan, Guid proposalId, string proposedBy, DateOnly date, DateTimeOffset now,
        int minDpd = 1, string? reason = null)
    {
        if (loan.IsClosed || loan.PendingWriteOff is not null) return null;
        var p = LoanPosition.Of(loan, date);
        return new WriteOffProposed(loan.Id, proposalId, p.Dpd, p.PrincipalOutstanding, p.TotalOutstanding, proposedBy, now, date,
            Math.Max(1, minDpd), reason);
    }

    /// <summary>A supervisor proposes a charge-off (a deceased borrower, fraud, a ladder proposal rejected earlier).</summary>
    public static WriteOffProposed ProposeBySupervisor(Loan loan, string reason, string supervisor, Guid proposalId, DateOnly date,
        DateTimeOffset now)
    {
        if (loan.IsClosed)
            throw new LendingRuleViolated("write_off.loan_closed", $"The loan is {loan.Status}.", RefusalKind.Conflict);
        if (loan.PendingWriteOff is not null)
            throw new LendingRuleViolated("write_off.pending", "A write-off proposal is already waiting for a decision.", RefusalKind.Conflict);
        if (LoanPosition.DpdOf(loan, date) < 1)
            throw new LendingRuleViolated("write_off.not_delinquent", "A loan that is not past due is not written off.", RefusalKind.Conflict);
        return Propose(loan, proposalId, supervisor, date, now, 1, reason)!;
    }

    /// <summary>Maker–checker: a supervisor other than the proposer approves, while the loan still qualifies.</summary>
    public static LoanWrittenOff Approve(Loan loan, string approver, DateOnly date, DateTimeOffset now, string? note = null)
    {
        var pending = Pending(loan);
        if (pending.ProposedBy == approver)
            throw new LendingRuleViolated("write_off.same_person", "The proposer of a write-off cannot approve it.", RefusalKind.Forbidden);
        if (loan.IsClosed)
            throw new LendingRuleViolated("write_off.loan_closed", $"The loan is {loan.Status}.", RefusalKind.Conflict);
        var p = LoanPosition.Of(loan, date);
        if (p.Dpd < pending.MinDpd)
            throw new LendingRuleViolated("write_off.no_longer_qualifies",
                $"The loan is {p.Dpd} days past due; the proposal needs at least {pending.MinDpd}.", RefusalKind.Conflict);
        return new LoanWrittenOff(loan.Id, pending.ProposalId, p.PrincipalOutstanding, p.InterestOutstanding, p.PenaltyOutstanding,
            p.FeesOutstanding, approver, now, date, string.IsNullOrWhiteSpace(note) ? null : note.Trim());
    }

    public static WriteOffRejected Reject(Loan loan, string reason, string rejecter, DateOnly date, DateTimeOffset now) =>
        new(loan.Id, Pending(loan).ProposalId, reason, rejecter, now, date);

    /// <summary>
    /// At close of business: the ladder proposes a write-off again once <paramref name="afterDays"/> have passed since
    /// its proposal was rejected, while the loan is still at the write-off stage and past <paramref name="minDpd"/>.
    /// </summary>
    public static bool DueAgain(Loan loan, DateOnly date, int minDpd, int afterDays) =>
        !loan.IsClosed && loan.Stage == EscalationStage.WriteOff && loan.PendingWriteOff is null
        && loan.WriteOffRejectedOn is { } rejected && date >= rejected.AddDays(afterDays)
        && LoanPosition.DpdOf(loan, date) >= minDpd;

    /// <summary>When a loan is paid off, settled or cured, a pending proposal is withdrawn.</summary>
    public static WriteOffWithdrawn? Withdrawn(Loan loan, string reason, DateOnly date) =>
        loan.PendingWriteOff is { } pending ? new WriteOffWithdrawn(loan.Id, pending.ProposalId, reason, date) : null;

    private static PendingWriteOff Pending(Loan loan) => loan.PendingWriteOff
        ?? throw new LendingRuleViolated("write_off.no_proposal", "There is no write-off proposal pending on this loan.", RefusalKind.Conflict);
}
