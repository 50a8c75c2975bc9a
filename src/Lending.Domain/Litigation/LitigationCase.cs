namespace Lending.Domain.Litigation;

/// <summary>Where a case stands: its latest procedural step.</summary>
public enum LitigationStep
{
    ReviewOpened, Mediation, MediationConcluded, DemandServed, Filed, Hearing, Judgment, Appeal, Enforcement,
    DishonestListing, ListingRemoved, Settled, Withdrawn,
}

/// <summary>A dishonest-debtor listing as the court decided it, and its removal.</summary>
public sealed record DishonestListing(string Court, string DecisionNumber, DateOnly ListedOn, DateOnly? ListedUntil,
    string? RemovalDecisionNumber = null, DateOnly? RemovedOn = null);

/// <summary>One cost in the case's legal ledger.</summary>
public sealed record LitigationCost(LitigationCostKind Kind, decimal Amount, DateOnly IncurredOn);

/// <summary>
/// A loan's litigation case, as its events make it (<see cref="Evolve"/>). Open from the review until settled or
/// withdrawn; a loan has at most one open case, and a closed one is kept as <see cref="Loans.Loan.Litigation"/> until
/// the next review opens.
/// </summary>
public sealed record LitigationCase(
    Guid CaseId,
    LitigationStep Step,
    DateOnly OpenedOn,
    DateOnly LastStepOn,
    string? Mediator,
    bool MediationOpen,
    string? Court,
    string? CaseNumber,
    DateOnly? FiledOn,
    LitigationClaim? Claim,
    IReadOnlyList<LitigationCost> Costs,
    LitigationAward? Award,
    DateOnly? JudgmentOn,
    string? EnforcementCaseNumber,
    DishonestListing? Listing,
    DateOnly? ClosedOn)
{
    public bool IsOpen => ClosedOn is null;
    public bool IsFiled => FiledOn is not null;
    public decimal CostsTotal => Costs.Sum(c => c.Amount);

    public static LitigationCase Opened(LitigationReviewOpened e) => new(e.CaseId, LitigationStep.ReviewOpened, e.StepDate, e.StepDate,
        Mediator: null, MediationOpen: false, Court: null, CaseNumber: null, FiledOn: null, Claim: null, Costs: [], Award: null,
        JudgmentOn: null, EnforcementCaseNumber: null, Listing: null, ClosedOn: null);

    public LitigationCase Evolve(ILitigationEvent e)
    {
        var c = e is LitigationCostIncurred ? this : this with { LastStepOn = e.StepDate > LastStepOn ? e.StepDate : LastStepOn };
        return e switch
        {
            PreFilingMediationOpened m => c with { Step = LitigationStep.Mediation, Mediator = m.Mediator, MediationOpen = true },
            PreFilingMediationConcluded => c with { Step = LitigationStep.MediationConcluded, MediationOpen = false },
            LegalDemandServed => c with { Step = LitigationStep.DemandServed },
            LawsuitFiled f => c with { Step = LitigationStep.Filed, Court = f.Court, CaseNumber = f.CaseNumber, FiledOn = f.StepDate, Claim = f.Claim },
            LitigationCostIncurred k => c with { Costs = [.. Costs, new LitigationCost(k.Kind, k.Amount, k.StepDate)] },
            HearingHeld => c with { Step = LitigationStep.Hearing },
            JudgmentEntered j => c with { Step = LitigationStep.Judgment, Award = j.Award, JudgmentOn = j.StepDate },
            JudgmentAppealed => c with { Step = LitigationStep.Appeal },
            EnforcementApplied x => c with { Step = LitigationStep.Enforcement, EnforcementCaseNumber = x.CaseNumber },
            DishonestDebtorListed l => c with
            {
                Step = LitigationStep.DishonestListing, Listing = new DishonestListing(l.Court, l.DecisionNumber, l.StepDate, l.ListedUntil),
            },
            DishonestDebtorListingRemoved r => c with
            {
                Step = LitigationStep.ListingRemoved, Listing = Listing! with { RemovalDecisionNumber = r.DecisionNumber, RemovedOn = r.StepDate },
            },
            LitigationSettled => c with { Step = LitigationStep.Settled, ClosedOn = e.StepDate },
            LitigationWithdrawn => c with { Step = LitigationStep.Withdrawn, ClosedOn = e.StepDate },
            _ => c,
        };
    }
}
