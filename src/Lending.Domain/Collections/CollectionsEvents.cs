using Lending.Domain.Loans;

namespace Lending.Domain.Collections;

public enum ContactChannel { Phone, Sms, Email, Letter, Visit, App }

public enum ContactDirection { Outbound, Inbound }

public enum ContactParty { Borrower, Guarantor, ThirdParty }

public enum ContactOutcome { NoAnswer, RightPartyContact, PromiseToPay, Refused, Dispute, Hardship, WrongParty, LeftMessage }

public enum AssigneeKind { Collector, Agency, Mediator }

/// <summary>One contact attempt (催收记录), answered or not. Recorded as evidence: when, how, with whom, by whom, what.</summary>
public sealed record ContactRecorded(
    Guid LoanId,
    Guid ContactId,
    ContactChannel Channel,
    ContactDirection Direction,
    ContactParty Party,
    ContactOutcome Outcome,
    DateTimeOffset OccurredAt,
    string Summary,
    string Agent,
    DateTimeOffset RecordedAt,
    DateOnly BusinessDate) : ILoanEvent;

/// <summary>A supervisor let a contact through the conduct guard; the rules set aside and the written reason are kept.</summary>
public sealed record ConductRuleOverridden(
    Guid LoanId,
    Guid ContactId,
    IReadOnlyList<string> Rules,
    string Reason,
    string OverriddenBy,
    DateTimeOffset RecordedAt,
    DateOnly BusinessDate) : ILoanEvent;

/// <summary>A promise to pay: the amount by the date. Supersedes any open promise.</summary>
public sealed record PromiseToPayMade(
    Guid LoanId,
    Guid PromiseId,
    Guid ContactId,
    decimal Amount,
    DateOnly DueOn,
    string Agent,
    DateOnly BusinessDate) : ILoanEvent;

public sealed record PromiseSuperseded(Guid LoanId, Guid PromiseId, Guid SupersededBy, DateOnly BusinessDate) : ILoanEvent;

/// <summary>Payments since the promise was made cover it.</summary>
public sealed record PromiseKept(Guid LoanId, Guid PromiseId, decimal Paid, DateOnly BusinessDate) : ILoanEvent;

/// <summary>The promise date passed without the promised amount paid; accelerates escalation.</summary>
public sealed record PromiseBroken(Guid LoanId, Guid PromiseId, decimal Amount, decimal Paid, DateOnly DueOn, DateOnly BusinessDate) : ILoanEvent;

public sealed record ComplaintLodged(
    Guid LoanId, Guid ComplaintId, string Category, string Description, string LodgedBy, DateTimeOffset RecordedAt,
    DateOnly BusinessDate) : ILoanEvent;

public sealed record ComplaintResolved(
    Guid LoanId, Guid ComplaintId, string Resolution, string ResolvedBy, DateTimeOffset RecordedAt, DateOnly BusinessDate) : ILoanEvent;

/// <summary>Verification of a disputed debt was sent to the borrower (Regulation F: collection pauses until then).</summary>
public sealed record DisputeVerificationSent(Guid LoanId, string Summary, string SentBy, DateTimeOffset RecordedAt, DateOnly BusinessDate) : ILoanEvent;

/// <summary>The borrower asked that collection contact stop (cease communication).</summary>
public sealed record CeaseContactRequested(Guid LoanId, string Reason, string RecordedBy, DateTimeOffset RecordedAt, DateOnly BusinessDate) : ILoanEvent;

/// <summary>The loan was assigned to a collector's queue, an external agency (委外) or a mediation body (调解).</summary>
public sealed record LoanAssigned(
    Guid LoanId, AssigneeKind Kind, string AssigneeId, string AssignedBy, DateTimeOffset RecordedAt, DateOnly BusinessDate) : ILoanEvent;

/// <summary>The previous assignment ended, on reassignment.</summary>
public sealed record AssignmentEnded(Guid LoanId, AssigneeKind Kind, string AssigneeId, DateOnly BusinessDate) : ILoanEvent;
