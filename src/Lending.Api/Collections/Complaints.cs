using System.Security.Claims;
using Lending.Api.Auth;
using Lending.Api.BusinessDates;
using Lending.Domain.Collections;
using Lending.Domain.Loans;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;
using Wolverine.Marten;
using Wolverine.Persistence;

namespace Lending.Api.Collections;

/// <summary>A complaint against collection conduct blocks outbound contact until a supervisor resolves it.</summary>
public static class LodgeComplaintEndpoint
{
    public static ProblemDetails Validate(LodgeComplaintRequest request)
    {
        var category = Require.Text("category", request.Category, "A category is required (e.g. harassment, wrong amount).");
        return category != WolverineContinue.NoProblems ? category
            : Require.Text("description", request.Description, "What the borrower complains of.");
    }

    [WolverinePost("/loans/{loanId}/complaints", OperationId = "LodgeComplaint")]
    [ProducesResponseType<Loans.ComplaintResponse>(StatusCodes.Status201Created)]
    [Authorize(Roles = Roles.Collector + "," + Roles.SupervisorOrAdmin + "," + Roles.Legal)]
    [Tags("Collections")]
    public static (IResult, Events) Post(LodgeComplaintRequest request,
        [WriteAggregate("loanId", OnMissing = OnMissing.ProblemDetailsWith404)] Loan loan,
        BusinessDay today, ClaimsPrincipal user, TimeProvider clock)
    {
        var now = clock.GetUtcNow();
        var actor = user.AsCollectionsActor();
        // Legal staff record complaints on any loan, as supervisors do.
        if (user.IsInRole(Roles.Legal)) actor = actor with { IsSupervisor = true };
        var lodged = CollectionsDecisions.LodgeComplaint(loan, request.Category!.Trim(), request.Description!.Trim(), actor,
            Guid.CreateVersion7(now), today.Date, now);
        return (Results.Created($"/loans/{loan.Id}/complaints/{lodged.ComplaintId}",
            Loans.ComplaintResponse.From([lodged]).Single()), [lodged]);
    }
}

public static class ResolveComplaintEndpoint
{
    public static ProblemDetails Validate(ResolveComplaintRequest request) =>
        Require.Text("resolution", request.Resolution, "How the complaint was resolved.");

    [WolverinePost("/loans/{loanId}/complaints/{complaintId}/resolve", OperationId = "ResolveComplaint")]
    [Authorize(Roles = Roles.SupervisorOrAdmin)]
    [Tags("Collections")]
    [ProducesResponseType<Loans.ComplaintResolvedResponse>(StatusCodes.Status200OK)]
    public static (IResult, Events) Post(Guid complaintId, ResolveComplaintRequest request,
        [WriteAggregate("loanId", OnMissing = OnMissing.ProblemDetailsWith404)] Loan loan,
        BusinessDay today, ClaimsPrincipal user, TimeProvider clock)
    {
        var resolved = CollectionsDecisions.ResolveComplaint(loan, complaintId, request.Resolution!.Trim(), user.AsCollectionsActor(),
            today.Date, clock.GetUtcNow());
        return (Results.Ok(Loans.ComplaintResolvedResponse.From(resolved)), [resolved]);
    }
}

public static class CeaseContactEndpoint
{
    public static ProblemDetails Validate(CeaseContactRequest request) =>
        Require.Text("reason", request.Reason, "How the borrower asked (letter, call, app) and what they said.");

    [WolverinePost("/loans/{loanId}/cease-contact", OperationId = "CeaseContact")]
    [Authorize(Roles = Roles.Collector + "," + Roles.SupervisorOrAdmin)]
    [Tags("Collections")]
    [ProducesResponseType<Loans.CeaseContactResponse>(StatusCodes.Status200OK)]
    public static (IResult, Events) Post(CeaseContactRequest request,
        [WriteAggregate("loanId", OnMissing = OnMissing.ProblemDetailsWith404)] Loan loan,
        BusinessDay today, ClaimsPrincipal user, TimeProvider clock)
    {
        var events = CollectionsDecisions.CeaseContact(loan, request.Reason!.Trim(), user.AsCollectionsActor(), today.Date, clock.GetUtcNow());
        return (Results.Ok(new Loans.CeaseContactResponse(loan.Id, CeaseContact: true)), [.. events]);
    }
}

public static class AssignLoanEndpoint
{
    public static ProblemDetails Validate(AssignLoanRequest request) =>
        new[] { request.CollectorId, request.AgencyId, request.MediatorId }.Count(s => !string.IsNullOrWhiteSpace(s)) == 1
            ? WolverineContinue.NoProblems
            : Setup.Problems.Invalid(new Dictionary<string, string[]>
                { ["assignee"] = ["Exactly one of collectorId, agencyId or mediatorId."] });

    [WolverinePost("/loans/{loanId}/assignments", OperationId = "AssignLoan")]
    [Authorize(Roles = Roles.SupervisorOrAdmin)]
    [Tags("Collections")]
    [ProducesResponseType<Loans.AssignmentResponse>(StatusCodes.Status200OK)]
    public static (IResult, Events) Post(AssignLoanRequest request,
        [WriteAggregate("loanId", OnMissing = OnMissing.ProblemDetailsWith404)] Loan loan,
        BusinessDay today, ClaimsPrincipal user, TimeProvider clock)
    {
        var (kind, id) = request.CollectorId is { Length: > 0 } c ? (AssigneeKind.Collector, c)
            : request.AgencyId is { Length: > 0 } a ? (AssigneeKind.Agency, a)
            : (AssigneeKind.Mediator, request.MediatorId!);
        var events = CollectionsDecisions.Assign(loan, kind, id.Trim(), user.AsCollectionsActor(), today.Date, clock.GetUtcNow());
        return (Results.Ok(new Loans.AssignmentResponse(loan.Id, kind, id.Trim())), [.. events]);
    }
}
