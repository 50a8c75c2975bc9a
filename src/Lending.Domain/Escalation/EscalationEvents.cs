using Lending.Domain.Loans;

namespace Lending.Domain.Escalation;

/// <summary>The loan entered a higher stage of the ladder; <see cref="Reason"/> says which condition put it there.</summary>
public sealed record LoanEscalated(
    Guid LoanId, EscalationStage From, EscalationStage To, EscalationAction Action, string Reason, int Dpd, int BrokenPromises,
    DateOnly BusinessDate) : ILoanEvent;

/// <summary>Nothing is past due any more: the loan leaves the ladder.</summary>
public sealed record LoanCured(Guid LoanId, EscalationStage From, DateOnly BusinessDate) : ILoanEvent;

public enum NoticeKind { Reminder, DemandLetter }

/// <summary>A notice actually sent to the borrower, with its full text: what a court will be shown.</summary>
public sealed record NoticeSent(
    Guid LoanId, string NoticeId, NoticeKind Kind, string Channel, string Recipient, string Text, EscalationStage Stage,
    DateTimeOffset SentAt, DateOnly BusinessDate) : ILoanEvent;

/// <summary>The loan was referred to the legal team (or an agency, per policy) for review.</summary>
public sealed record LegalReferralMade(Guid LoanId, string ActionId, int Dpd, decimal TotalOutstanding, DateOnly BusinessDate) : ILoanEvent;
