using System.Security.Claims;
using System.Text.Json;
using Lending.Api.Auth;
using Lending.Api.BusinessDates;
using Lending.Api.Loans;
using Lending.Api.Setup;
using Lending.Domain;
using Lending.Domain.Litigation;
using Lending.Domain.Loans;
using Lending.Domain.Loans.Delinquency;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;
using Wolverine.Marten;
using Wolverine.Persistence;

namespace Lending.Api.Litigation;

/// <summary>What a judgment awards, by part (missing parts are zero).</summary>
public sealed record AwardRequest(decimal? Principal, decimal? Interest, decimal? Penalty, decimal? Fees, decimal? Costs);

/// <summary>The body of <c>POST /loans/{id}/litigation</c> (API.md "Litigation and evidence"): one step of the case.</summary>
public sealed record LitigationStepRequest(
    LitigationAction? Action,
    DateOnly? Date,
    string? Court,
    string? CaseNumber,
    decimal? Amount,
    string? Notes,
    string? Mediator,
    MediationOutcome? Outcome,
    LitigationCostKind? CostKind,
    AwardRequest? Award,
    LitigationParty? Appellant,
    string? DecisionNumber,
    DateOnly? ListedUntil);

/// <summary>One step of a case as recorded: what, when it happened, who recorded it and when, legal's notes.</summary>
public sealed record LitigationStepRecord(string Type, DateOnly Date, string RecordedBy, DateTimeOffset RecordedAt, DateOnly BusinessDate,
    string? Notes, string? Court, string? CaseNumber, string? DecisionNumber, decimal? Amount)
{
    public static LitigationStepRecord From(ILitigationEvent e) => new(
        JsonNamingPolicy.SnakeCaseLower.ConvertName(e.GetType().Name), e.StepDate, e.RecordedBy, e.RecordedAt, e.BusinessDate, e.Notes,
        e switch
        {
            LawsuitFiled f => f.Court, HearingHeld h => h.Court, JudgmentEntered j => j.Court, JudgmentAppealed a => a.Court,
            EnforcementApplied x => x.Court, DishonestDebtorListed l => l.Court, _ => null,
        },
        e switch { LawsuitFiled f => f.CaseNumber, EnforcementApplied x => x.CaseNumber, _ => null },
        e switch { DishonestDebtorListed l => l.DecisionNumber, DishonestDebtorListingRemoved r => r.DecisionNumber, _ => null },
        e switch
        {
            LawsuitFiled f => f.Claim.Total, JudgmentEntered j => j.AwardedTotal, LitigationCostIncurred k => k.Amount,
            LitigationSettled s => s.Amount, PreFilingMediationConcluded m => m.AgreedAmount, _ => null,
        });
}

/// <summary>A loan's case: where it stands, the claim as filed, the legal ledger, the award and the listing, and its steps.</summary>
public sealed record LitigationCaseResponse(
    Guid LoanId, Guid CaseId, LitigationStep Step, bool Open, DateOnly OpenedOn, DateOnly LastStepOn, DateOnly? ClosedOn,
    LoanStatus LoanStatus, string? Mediator, string? Court, string? CaseNumber, DateOnly? FiledOn, LitigationClaim? Claim,
    decimal CostsTotal, IReadOnlyList<LitigationCost> Costs, LitigationAward? Award, DateOnly? JudgmentOn, string? EnforcementCaseNumber,
    DishonestListing? Listing, IReadOnlyList<LitigationStepRecord> Steps)
{
    public static LitigationCaseResponse From(Loan loan, IEnumerable<ILitigationEvent> steps)
    {
        var c = loan.Litigation!;
        return new(loan.Id, c.CaseId, c.Step, c.IsOpen, c.OpenedOn, c.LastStepOn, c.ClosedOn, loan.Status, c.Mediator, c.Court,
            c.CaseNumber, c.FiledOn, c.Claim, c.CostsTotal, c.Costs, c.Award, c.JudgmentOn, c.EnforcementCaseNumber, c.Listing,
            steps.Where(s => s.CaseId == c.CaseId).Select(LitigationStepRecord.From).ToList());
    }
}

public static class RecordLitigationStepEndpoint
{
    public const int MaxText = 200;
    public const int MaxNotes = 4_000;

    public static ProblemDetails Validate(LitigationStepRequest request)
    {
        var errors = new Dictionary<string, string[]>();
        if (request.Action is null)
            errors["action"] = ["review_opened, mediation_opened, mediation_concluded, demand_served, filed, cost_incurred, hearing, " +
                                "judgment, appeal, enforcement, dishonest_listing, listing_removed, settled or withdrawn."];
        if (request.Date is null) errors["date"] = ["The date the step happened (yyyy-MM-dd)."];
        foreach (var (field, value) in new[] { ("court", request.Court), ("caseNumber", request.CaseNumber), ("mediator", request.Mediator),
                     ("decisionNumber", request.DecisionNumber) })
            if (value is { Length: > MaxText }) errors[field] = [$"At most {MaxText} characters."];
        if (request.Notes is { Length: > MaxNotes }) errors["notes"] = [$"At most {MaxNotes} characters."];
        return errors.Count > 0 ? Problems.Invalid(errors) : WolverineContinue.NoProblems;
    }

    [WolverinePost("/loans/{loanId}/litigation", OperationId = "RecordLitigationStep")]
    [Authorize(Roles = Roles.Legal)]
    [Tags("Litigation")]
    [ProducesResponseType<LitigationCaseResponse>(StatusCodes.Status201Created)]
    public static async Task<(IResult, Events)> Post(LitigationStepRequest request,
        [WriteAggregate("loanId", OnMissing = OnMissing.ProblemDetailsWith404)] Loan loan,
        BusinessDay today, ClaimsPrincipal user, TimeProvider clock, IDocumentSession session, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var a = request.Award;
        var command = new LitigationCommand(request.Action!.Value, request.Date!.Value, request.Notes, request.Court, request.CaseNumber,
            request.Amount, request.Mediator, request.Outcome, request.CostKind,
            a is null ? null : new LitigationAward(a.Principal ?? 0m, a.Interest ?? 0m, a.Penalty ?? 0m, a.Fees ?? 0m, a.Costs ?? 0m),
            request.Appellant, request.DecisionNumber, request.ListedUntil);

        // A claim is the ledger as of the filing date: a filing recorded later reads the loan's history.
        var history = (await session.Events.FetchStreamAsync(loan.Id, token: ct)).Select(e => e.Data).ToList();
        var onStepDate = command.Action == LitigationAction.Filed && command.Date < today.Date ? Loan.AsOf(history, command.Date) : null;

        var step = LitigationDecisions.Record(loan, command, new LitigationActor(user.Id(), user.IsInRole(Roles.Legal)),
            Guid.CreateVersion7(now), today.Date, now, onStepDate);
        var after = Loan.Evolve(loan, step);
        return (Results.Created($"/loans/{loan.Id}/litigation",
            LitigationCaseResponse.From(after, [.. history.OfType<ILitigationEvent>(), step])), [step]);
    }
}

public static class GetLitigationCaseEndpoint
{
    [WolverineGet("/loans/{loanId}/litigation", OperationId = "GetLitigationCase")]
    [Authorize(Roles = Roles.Legal + "," + Roles.SupervisorOrAdmin)]
    [Tags("Litigation")]
    [ProducesResponseType<LitigationCaseResponse>(StatusCodes.Status200OK)]
    public static async Task<LitigationCaseResponse> Get(Guid loanId, IQuerySession session, CancellationToken ct)
    {
        var events = await session.Events.FetchStreamAsync(loanId, token: ct);
        if (events.Count == 0) throw LoanReads.NotFound(loanId);
        var loan = events.Select(e => e.Data).Aggregate((Loan?)null, Loan.Evolve)!;
        if (loan.Litigation is null)
            throw new LendingRuleViolated("litigation.no_case", $"Loan {loanId} has never been in litigation.", RefusalKind.NotFound);
        return LitigationCaseResponse.From(loan, events.Select(e => e.Data).OfType<ILitigationEvent>());
    }
}

/// <summary>One open case in legal's list.</summary>
public sealed record LegalCaseSummary(
    Guid LoanId, Guid CaseId, LitigationStep Step, DateOnly OpenedOn, DateOnly LastStepOn, int DaysAtStep, string BorrowerName,
    string ProductCode, LoanStatus LoanStatus, int Dpd, decimal TotalOutstanding, string? Court, string? CaseNumber, decimal? ClaimTotal,
    decimal CostsTotal, DishonestListing? Listing);

public sealed record LegalStepCount(LitigationStep Step, int Cases);

/// <summary><c>GET /legal/cases</c>: legal's daily list of open cases, by step, longest waiting first within a step.</summary>
public sealed record LegalCasesResponse(DateOnly AsOf, IReadOnlyList<LegalStepCount> ByStep, IReadOnlyList<LegalCaseSummary> Cases);

public static class GetLegalCasesEndpoint
{
    [WolverineGet("/legal/cases", OperationId = "GetLegalCases")]
    [Authorize(Roles = Roles.Legal + "," + Roles.SupervisorOrAdmin)]
    [Tags("Litigation")]
    [ProducesResponseType<LegalCasesResponse>(StatusCodes.Status200OK)]
    public static async Task<LegalCasesResponse> Get(string? step, IQuerySession session, BusinessCalendarStore calendars,
        CancellationToken ct)
    {
        LitigationStep? only = step is null ? null
            : Enum.GetValues<LitigationStep>().Cast<LitigationStep?>().FirstOrDefault(s => JsonNamingPolicy.SnakeCaseLower.ConvertName(s!.Value.ToString()) == step)
              ?? throw new LendingRuleViolated("legal_cases.unknown_step", $"Unknown step '{step}': " +
                  string.Join(", ", Enum.GetValues<LitigationStep>().Select(s => JsonNamingPolicy.SnakeCaseLower.ConvertName(s.ToString()))) + ".");
        var today = await calendars.TodayAsync(session, ct);
        var open = await session.Query<Loan>().Where(l => l.Litigation != null && l.Litigation.ClosedOn == null).ToListAsync(ct);
        var cases = open.Where(l => only is null || l.Litigation!.Step == only)
            .Select(l =>
            {
                var c = l.Litigation!;
                var p = LoanPosition.Of(l, today);
                return new LegalCaseSummary(l.Id, c.CaseId, c.Step, c.OpenedOn, c.LastStepOn, today.DayNumber - c.LastStepOn.DayNumber,
                    l.Borrower.Name, l.ProductCode, l.Status, p.Dpd, p.TotalOutstanding, c.Court, c.CaseNumber, c.Claim?.Total, c.CostsTotal,
                    c.Listing);
            })
            .OrderBy(c => c.Step).ThenBy(c => c.LastStepOn).ThenBy(c => c.LoanId).ToList();
        return new LegalCasesResponse(today, cases.GroupBy(c => c.Step).Select(g => new LegalStepCount(g.Key, g.Count())).ToList(), cases);
    }
}
