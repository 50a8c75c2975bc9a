using Lending.Domain.Loans;

namespace Lending.Domain.Escalation;

/// <summary>The loan entered a higher stage of the ladder; <see cref="Reason"/> says which condition put it there.</summary>
public sealed record LoanEscalated(
    Guid LoanId, EscalationStage From, EscalationStage To, EscalationAction Action, string Reason, int Dpd, int BrokenPromises,
    DateOnly BusinessDate) : ILoanEvent;

/// <summary>Nothing is past due any more: the loan leaves the ladder.</summary>
public sealed record LoanCured(Guid LoanId, EscalationStage From, DateOnly BusinessDate) : ILoanEvent;

public enum NoticeKind { Reminder, DemandLetter }

/// <summary>
/// A notice a channel accepted, with its full text: what a court will be shown. <see cref="Delivery"/> is the adapter that
/// took it (<c>smtp</c>, <c>sms-gateway</c>, <c>print</c>, or <c>file</c>: the development sink, nothing reached the
/// borrower) with its reference; a printed letter's PDF and its SHA-256. <see cref="ConductException"/> names the
/// documented exception it went out under, when a conduct rule would otherwise have stopped it.
/// </summary>
public sealed record NoticeSent(
    Guid LoanId, string NoticeId, NoticeKind Kind, string Channel, string Recipient, string Text, EscalationStage Stage,
    DateTimeOffset SentAt, DateOnly BusinessDate, string? ConductException = null, string? Delivery = null,
    string? DeliveryReference = null, string? Document = null, string? DocumentSha256 = null) : ILoanEvent;

/// <summary>A channel refused or failed to take a notice; it is tried again with backoff, then dead-lettered for an admin.</summary>
public sealed record NoticeDeliveryFailed(
    Guid LoanId, string NoticeId, NoticeKind Kind, string Channel, string Adapter, int Attempt, string Error, DateTimeOffset FailedAt,
    DateOnly BusinessDate) : ILoanEvent;

/// <summary>A notice that fell in the borrower's quiet hours, held until the contact window opens in their time zone.</summary>
public sealed record NoticeHeld(
    Guid LoanId, string NoticeId, NoticeKind Kind, string Channel, string Rule, DateTimeOffset Until, EscalationStage Stage,
    DateTimeOffset HeldAt, DateOnly BusinessDate) : ILoanEvent;

/// <summary>A notice the conduct rules forbade (cease-contact, an open complaint, an unverified dispute, a cap): not sent.</summary>
public sealed record NoticeSuppressed(
    Guid LoanId, string NoticeId, NoticeKind Kind, string Channel, IReadOnlyList<string> Rules, EscalationStage Stage,
    DateTimeOffset DecidedAt, DateOnly BusinessDate) : ILoanEvent;

/// <summary>The loan was referred to the legal team (or an agency, per policy) for review.</summary>
public sealed record LegalReferralMade(Guid LoanId, string ActionId, int Dpd, decimal TotalOutstanding, DateOnly BusinessDate) : ILoanEvent;
