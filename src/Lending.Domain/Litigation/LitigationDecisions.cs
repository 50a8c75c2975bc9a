using Lending.Domain.Loans;
using Lending.Domain.Loans.Delinquency;

namespace Lending.Domain.Litigation;

/// <summary>The steps legal records (API.md "Litigation and evidence"; DOMAIN.md "Litigation").</summary>
public enum LitigationAction
{
    ReviewOpened, MediationOpened, MediationConcluded, DemandServed, Filed, CostIncurred, Hearing, Judgment, Appeal,
    Enforcement, DishonestListing, ListingRemoved, Settled, Withdrawn,
}

/// <summary>One step as legal records it; which fields a step needs is checked by <see cref="LitigationDecisions"/>.</summary>
public sealed record LitigationCommand(
    LitigationAction Action,
    DateOnly Date,
    string? Notes = null,
    string? Court = null,
    string? CaseNumber = null,
    decimal? Amount = null,
    string? Mediator = null,
    MediationOutcome? Outcome = null,
    LitigationCostKind? CostKind = null,
    LitigationAward? Award = null,
    LitigationParty? Appellant = null,
    string? DecisionNumber = null,
    DateOnly? ListedUntil = null);

/// <summary>Who is recording a step: only legal staff run cases.</summary>
public sealed record LitigationActor(string Id, bool IsLegal);

/// <summary>
/// The litigation lifecycle's rules. A case opens with a review and ends settled or withdrawn; in between the steps
/// follow the procedure: mediation before filing, a hearing and judgment after it, an appeal or enforcement after
/// judgment, a listing only under enforcement. A step happened on its date, which is never after the business date nor
/// before the step it follows. A claim is computed by the ledger as of the filing date, its penalty within the cap; a
/// judgment awards no part above what was claimed (costs: above what the legal ledger holds).
/// </summary>
public static class LitigationDecisions
{
    /// <param name="loanOnStepDate">The loan as of <see cref="LitigationCommand.Date"/>, for a filing's claim (the current loan when null).</param>
    public static ILitigationEvent Record(Loan loan, LitigationCommand cmd, LitigationActor actor, Guid newCaseId, DateOnly businessDate,
        DateTimeOffset now, Loan? loanOnStepDate = null)
    {
        if (!actor.IsLegal)
            throw new LendingRuleViolated("litigation.legal_only", "Only legal staff record litigation steps.", RefusalKind.Forbidden);
        if (cmd.Date > businessDate)
            throw Invalid("litigation.date_in_future", $"A step is recorded once it has happened: {cmd.Date:yyyy-MM-dd} is after the business date {businessDate:yyyy-MM-dd}.");
        if (cmd.Date < loan.DisbursedOn)
            throw Invalid("litigation.date_before_loan", $"The loan was disbursed on {loan.DisbursedOn:yyyy-MM-dd}.");
        var notes = string.IsNullOrWhiteSpace(cmd.Notes) ? null : cmd.Notes.Trim();

        if (cmd.Action == LitigationAction.ReviewOpened)
        {
            if (loan.Litigation is { IsOpen: true } open)
                throw Conflict("litigation.case_open", $"Case {open.CaseId} is open on this loan ({Name(open.Step)}).");
            if (loan.Status is LoanStatus.PaidOff or LoanStatus.Settled)
                throw Conflict("litigation.loan_closed", $"The loan is {loan.Status}: there is nothing to claim.");
            return new LitigationReviewOpened(loan.Id, newCaseId, cmd.Date, notes, actor.Id, now, businessDate);
        }

        if (loan.Litigation is not { IsOpen: true } c)
            throw Conflict("litigation.no_open_case", "No case is open on this loan: legal opens a review first.");
        if (cmd.Date < c.OpenedOn)
            throw Invalid("litigation.date_before_case", $"The case opened on {c.OpenedOn:yyyy-MM-dd}.");
        if (cmd.Action != LitigationAction.CostIncurred && cmd.Date < c.LastStepOn)
            throw Invalid("litigation.date_before_last_step", $"The case's last step was on {c.LastStepOn:yyyy-MM-dd}; steps are recorded in the order they happened.");

        var (id, caseId, date, by) = (loan.Id, c.CaseId, cmd.Date, actor.Id);
        switch (cmd.Action)
        {
            case LitigationAction.MediationOpened:
                NotFiled(c, "Pre-filing mediation");
                if (c.MediationOpen) throw Conflict("litigation.mediation_open", $"Mediation with {c.Mediator} is still open.");
                return new PreFilingMediationOpened(id, caseId, Required(cmd.Mediator, "mediator", "Who mediates (court or mediation organisation)."),
                    date, notes, by, now, businessDate);

            case LitigationAction.MediationConcluded:
                if (!c.MediationOpen) throw Conflict("litigation.no_mediation", "No mediation is open.");
                var outcome = cmd.Outcome ?? throw Invalid("litigation.outcome_required", "The outcome: agreed or failed.");
                if (outcome == MediationOutcome.Failed && cmd.Amount is not null)
                    throw Invalid("litigation.amount_not_expected", "A failed mediation agrees no amount.");
                return new PreFilingMediationConcluded(id, caseId, outcome, outcome == MediationOutcome.Agreed ? Positive(cmd.Amount, "amount") : null,
                    date, notes, by, now, businessDate);

            case LitigationAction.DemandServed:
                NotFiled(c, "A lawyer's demand");
                return new LegalDemandServed(id, caseId, date, notes, by, now, businessDate);

            case LitigationAction.Filed:
                NotFiled(c, "A case");
                if (c.MediationOpen)
                    throw Conflict("litigation.mediation_open", $"Mediation with {c.Mediator} is open: record its outcome before filing.");
                var claim = Claim(loanOnStepDate ?? loan, date, c.Costs.Where(k => k.IncurredOn <= date).Sum(k => k.Amount));
                if (claim.Total <= 0m) throw Conflict("litigation.nothing_owed", $"Nothing is owed on {date:yyyy-MM-dd}: there is no claim.");
                return new LawsuitFiled(id, caseId, Required(cmd.Court, "court", "The court the case is filed with."),
                    Required(cmd.CaseNumber, "caseNumber", "The court's case number (案号)."), claim, date, notes, by, now, businessDate);

            case LitigationAction.CostIncurred:
                return new LitigationCostIncurred(id, caseId, cmd.CostKind ?? throw Invalid("litigation.cost_kind_required",
                        "The kind of cost: court_fee, lawyer_fee, service_fee, preservation_fee or other."),
                    Positive(cmd.Amount, "amount"), date, notes, by, now, businessDate);

            case LitigationAction.Hearing:
                Filed(c, "A hearing");
                return new HearingHeld(id, caseId, cmd.Court?.Trim() is { Length: > 0 } court ? court : c.Court!, date, notes, by, now, businessDate);

            case LitigationAction.Judgment:
                Filed(c, "A judgment");
                if (c.Award is not null && c.Step != LitigationStep.Appeal)
                    throw Conflict("litigation.judgment_given", $"Judgment was given on {c.JudgmentOn:yyyy-MM-dd}; a new one follows an appeal.");
                var award = cmd.Award ?? throw Invalid("litigation.award_required", "The amount awarded by part: principal, interest, penalty, fees, costs.");
                CheckAward(award, c, cmd.Amount);
                return new JudgmentEntered(id, caseId, cmd.Court?.Trim() is { Length: > 0 } jc ? jc : c.Court!, award, award.Total,
                    date, notes, by, now, businessDate);

            case LitigationAction.Appeal:
                if (c.Award is null) throw Conflict("litigation.no_judgment", "An appeal follows a judgment.");
                if (c.Step == LitigationStep.Appeal) throw Conflict("litigation.appeal_pending", "An appeal is pending.");
                return new JudgmentAppealed(id, caseId, cmd.Appellant ?? throw Invalid("litigation.appellant_required", "Who appealed: lender or borrower."),
                    Required(cmd.Court, "court", "The appeal court."), date, notes, by, now, businessDate);

            case LitigationAction.Enforcement:
                if (c.Award is null) throw Conflict("litigation.no_judgment", "Enforcement follows a judgment.");
                if (c.Step == LitigationStep.Appeal) throw Conflict("litigation.appeal_pending", "The judgment is under appeal.");
                return new EnforcementApplied(id, caseId, cmd.Court?.Trim() is { Length: > 0 } ec ? ec : c.Court!,
                    Required(cmd.CaseNumber, "caseNumber", "The enforcement case number (执行案号)."), date, notes, by, now, businessDate);

            case LitigationAction.DishonestListing:
                if (c.EnforcementCaseNumber is null) throw Conflict("litigation.no_enforcement", "A court lists a dishonest debtor under enforcement.");
                if (c.Listing is { RemovedOn: null } listed)
                    throw Conflict("litigation.listed", $"The borrower is listed under decision {listed.DecisionNumber}.");
                if (cmd.ListedUntil is { } until && until <= date)
                    throw Invalid("litigation.listing_period", "A listing runs until a date after the decision.");
                return new DishonestDebtorListed(id, caseId, cmd.Court?.Trim() is { Length: > 0 } lc ? lc : c.Court!,
                    Required(cmd.DecisionNumber, "decisionNumber", "The court decision's number (决定书文号)."), cmd.ListedUntil,
                    date, notes, by, now, businessDate);

            case LitigationAction.ListingRemoved:
                if (c.Listing is not { RemovedOn: null })
                    throw Conflict("litigation.not_listed", "The borrower is not listed.");
                return new DishonestDebtorListingRemoved(id, caseId,
                    Required(cmd.DecisionNumber, "decisionNumber", "The number of the court's removal decision."), date, notes, by, now, businessDate);

            case LitigationAction.Settled:
                return new LitigationSettled(id, caseId, cmd.Amount is null ? null : Positive(cmd.Amount, "amount"), date, notes, by, now, businessDate);

            case LitigationAction.Withdrawn:
                return new LitigationWithdrawn(id, caseId, date,
                    notes ?? throw Invalid("litigation.reason_required", "Why the case is withdrawn (in notes)."), by, now, businessDate);

            default:
                throw Invalid("litigation.unknown_action", $"Unknown step {cmd.Action}.");
        }
    }

    /// <summary>
    /// The claim on <paramref name="date"/>: principal, interest, penalty and fees outstanding by the ledger, and the case's
    /// costs so far. The penalty claimed is the penalty outstanding, within the room the rate cap leaves: cap × principal
    /// outstanding day by day, less the interest earned, the penalty already paid, and the fees when the product counts
    /// them towards the cap. Booked penalty beyond that room is not claimed (<see cref="LitigationClaim.PenaltyReduced"/>).
    /// </summary>
    public static LitigationClaim Claim(Loan loan, DateOnly date, decimal costs)
    {
        var p = LoanPosition.Of(loan, date);
        var fees = loan.Installments.Sum(i => i.Fees);
        var cost = BorrowingCost.Cost(loan, date) - (loan.Terms.FeesWithinCap ? 0m : fees);
        var allowance = BorrowingCost.Allowance(loan, date);
        var room = Money.Cents(allowance - (cost - p.PenaltyOutstanding));
        var penalty = Math.Clamp(p.PenaltyOutstanding, 0m, Math.Max(0m, room));
        var total = p.PrincipalOutstanding + p.InterestOutstanding + penalty + p.FeesOutstanding + costs;
        return new LitigationClaim(date, p.PrincipalOutstanding, p.InterestOutstanding, penalty, p.FeesOutstanding, costs, total,
            loan.Terms.AnnualRate, loan.Terms.PenaltyRate, loan.Terms.RateCap, loan.Terms.FeesWithinCap, Money.Round(allowance),
            Money.Round(cost), p.PenaltyOutstanding - penalty, p.Dpd);
    }

    /// <summary>A court awards no part above what was claimed, nor costs above the legal ledger (non ultra petita).</summary>
    private static void CheckAward(LitigationAward award, LitigationCase c, decimal? amount)
    {
        var parts = new[] { award.Principal, award.Interest, award.Penalty, award.Fees, award.Costs };
        if (parts.Any(x => x < 0m || !Money.HasAtMostTwoDecimals(x)))
            throw Invalid("litigation.award_invalid", "Each part of the award is an amount in cents, not negative.");
        var claim = c.Claim!;
        var over = new List<string>();
        if (award.Principal > claim.Principal) over.Add($"principal {award.Principal} > {claim.Principal}");
        if (award.Interest > claim.Interest) over.Add($"interest {award.Interest} > {claim.Interest}");
        if (award.Penalty > claim.Penalty) over.Add($"penalty {award.Penalty} > {claim.Penalty}");
        if (award.Fees > claim.Fees) over.Add($"fees {award.Fees} > {claim.Fees}");
        if (award.Costs > c.CostsTotal) over.Add($"costs {award.Costs} > {c.CostsTotal} in the legal ledger");
        if (over.Count > 0)
            throw Invalid("litigation.award_above_claim", "An award is never above what was claimed: " + string.Join("; ", over) + ".");
        if (amount is { } a && a != award.Total)
            throw Invalid("litigation.award_mismatch", $"amount {a} is not the sum of the award's parts, {award.Total}.");
    }

    private static void NotFiled(LitigationCase c, string what)
    {
        if (c.IsFiled) throw Conflict("litigation.already_filed", $"{what} comes before filing; the case was filed on {c.FiledOn:yyyy-MM-dd} ({c.CaseNumber}).");
    }

    private static void Filed(LitigationCase c, string what)
    {
        if (!c.IsFiled) throw Conflict("litigation.not_filed", $"{what} follows filing; the case is at {Name(c.Step)}.");
    }

    private static string Required(string? value, string field, string message) =>
        string.IsNullOrWhiteSpace(value) ? throw Invalid($"litigation.{field}_required", message) : value.Trim();

    private static decimal Positive(decimal? value, string field) =>
        value is > 0m && Money.HasAtMostTwoDecimals(value.Value) ? value.Value
            : throw Invalid($"litigation.{field}_invalid", $"{field} is an amount in cents above zero.");

    private static string Name(LitigationStep step) => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(step.ToString());
    private static LendingRuleViolated Invalid(string code, string detail) => new(code, detail);
    private static LendingRuleViolated Conflict(string code, string detail) => new(code, detail, RefusalKind.Conflict);
}
