using Lending.Domain.Loans;

namespace Lending.Domain.Litigation;

/// <summary>
/// What every litigation step records besides its own facts: the case, the date the step happened (served, filed,
/// heard, decided: it may be before the business date it was recorded on), legal's notes, who recorded it and when.
/// </summary>
public interface ILitigationEvent : ILoanEvent
{
    Guid CaseId { get; }
    DateOnly StepDate { get; }
    string? Notes { get; }
    string RecordedBy { get; }
    DateTimeOffset RecordedAt { get; }
}

/// <summary>Legal opened a review of the loan for litigation: the case begins and the loan's status is litigation.</summary>
public sealed record LitigationReviewOpened(Guid LoanId, Guid CaseId, DateOnly StepDate, string? Notes, string RecordedBy,
    DateTimeOffset RecordedAt, DateOnly BusinessDate) : ILitigationEvent;

/// <summary>Pre-filing mediation (诉前调解) began, before a court or a mediation organisation.</summary>
public sealed record PreFilingMediationOpened(Guid LoanId, Guid CaseId, string Mediator, DateOnly StepDate, string? Notes,
    string RecordedBy, DateTimeOffset RecordedAt, DateOnly BusinessDate) : ILitigationEvent;

public enum MediationOutcome { Agreed, Failed }

/// <summary>Pre-filing mediation ended: agreed (with the amount the borrower agreed to pay) or failed.</summary>
public sealed record PreFilingMediationConcluded(Guid LoanId, Guid CaseId, MediationOutcome Outcome, decimal? AgreedAmount,
    DateOnly StepDate, string? Notes, string RecordedBy, DateTimeOffset RecordedAt, DateOnly BusinessDate) : ILitigationEvent;

/// <summary>A lawyer's demand (律师函) was served on the borrower.</summary>
public sealed record LegalDemandServed(Guid LoanId, Guid CaseId, DateOnly StepDate, string? Notes, string RecordedBy,
    DateTimeOffset RecordedAt, DateOnly BusinessDate) : ILitigationEvent;

/// <summary>
/// The claim as filed, computed by the ledger as of the filing date and frozen here: what a court is asked for does not
/// change when the ledger moves on. <see cref="PenaltyReduced"/> is penalty booked but not claimed because the cap
/// (<see cref="RateCap"/> on the principal outstanding day by day, <see cref="CapAllowance"/>) leaves no room for it.
/// </summary>
public sealed record LitigationClaim(
    DateOnly AsOf,
    decimal Principal,
    decimal Interest,
    decimal Penalty,
    decimal Fees,
    decimal Costs,
    decimal Total,
    decimal ContractRate,
    decimal PenaltyRate,
    decimal RateCap,
    bool FeesWithinCap,
    decimal CapAllowance,
    decimal CostOfBorrowing,
    decimal PenaltyReduced,
    int Dpd);

/// <summary>The case was filed with a court (立案): court, case number (案号) and the claim.</summary>
public sealed record LawsuitFiled(Guid LoanId, Guid CaseId, string Court, string CaseNumber, LitigationClaim Claim,
    DateOnly StepDate, string? Notes, string RecordedBy, DateTimeOffset RecordedAt, DateOnly BusinessDate) : ILitigationEvent;

public enum LitigationCostKind { CourtFee, LawyerFee, ServiceFee, PreservationFee, Other }

/// <summary>A cost of the case paid by the lender (诉讼费, 律师费, ...): the legal ledger. Not owed by the borrower unless awarded.</summary>
public sealed record LitigationCostIncurred(Guid LoanId, Guid CaseId, LitigationCostKind Kind, decimal Amount, DateOnly StepDate,
    string? Notes, string RecordedBy, DateTimeOffset RecordedAt, DateOnly BusinessDate) : ILitigationEvent;

/// <summary>A hearing (开庭) was held.</summary>
public sealed record HearingHeld(Guid LoanId, Guid CaseId, string Court, DateOnly StepDate, string? Notes, string RecordedBy,
    DateTimeOffset RecordedAt, DateOnly BusinessDate) : ILitigationEvent;

/// <summary>What a judgment awards, by part.</summary>
public sealed record LitigationAward(decimal Principal, decimal Interest, decimal Penalty, decimal Fees, decimal Costs)
{
    public decimal Total => Principal + Interest + Penalty + Fees + Costs;
}

/// <summary>Judgment (判决) was given: the amount awarded by part.</summary>
public sealed record JudgmentEntered(Guid LoanId, Guid CaseId, string Court, LitigationAward Award, decimal AwardedTotal,
    DateOnly StepDate, string? Notes, string RecordedBy, DateTimeOffset RecordedAt, DateOnly BusinessDate) : ILitigationEvent;

public enum LitigationParty { Lender, Borrower }

/// <summary>A party appealed (上诉) the judgment.</summary>
public sealed record JudgmentAppealed(Guid LoanId, Guid CaseId, LitigationParty Appellant, string Court, DateOnly StepDate,
    string? Notes, string RecordedBy, DateTimeOffset RecordedAt, DateOnly BusinessDate) : ILitigationEvent;

/// <summary>Enforcement (强制执行) was applied for, under its own case number.</summary>
public sealed record EnforcementApplied(Guid LoanId, Guid CaseId, string Court, string CaseNumber, DateOnly StepDate,
    string? Notes, string RecordedBy, DateTimeOffset RecordedAt, DateOnly BusinessDate) : ILitigationEvent;

/// <summary>
/// The court listed the borrower as a dishonest judgment debtor (失信被执行人): a court's decision, recorded with its
/// number and date and the period it runs for (null: until removed).
/// </summary>
public sealed record DishonestDebtorListed(Guid LoanId, Guid CaseId, string Court, string DecisionNumber, DateOnly? ListedUntil,
    DateOnly StepDate, string? Notes, string RecordedBy, DateTimeOffset RecordedAt, DateOnly BusinessDate) : ILitigationEvent;

/// <summary>The court removed the listing (paid, period ended, or in error), by its own decision.</summary>
public sealed record DishonestDebtorListingRemoved(Guid LoanId, Guid CaseId, string DecisionNumber, DateOnly StepDate,
    string? Notes, string RecordedBy, DateTimeOffset RecordedAt, DateOnly BusinessDate) : ILitigationEvent;

/// <summary>The case ended by agreement (和解), for the amount agreed when there is one. The loan's ledger is not changed by it.</summary>
public sealed record LitigationSettled(Guid LoanId, Guid CaseId, decimal? Amount, DateOnly StepDate, string? Notes,
    string RecordedBy, DateTimeOffset RecordedAt, DateOnly BusinessDate) : ILitigationEvent;

/// <summary>Legal withdrew the case (撤诉, or ended the review without suing).</summary>
public sealed record LitigationWithdrawn(Guid LoanId, Guid CaseId, DateOnly StepDate, string? Notes, string RecordedBy,
    DateTimeOffset RecordedAt, DateOnly BusinessDate) : ILitigationEvent;
