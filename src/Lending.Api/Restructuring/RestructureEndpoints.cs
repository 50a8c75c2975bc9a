using System.Security.Claims;
using Lending.Api.Auth;
using Lending.Api.BusinessDates;
using Lending.Api.Collections;
using Lending.Api.Setup;
using Lending.Domain.Loans;
using Lending.Domain.Loans.Delinquency;
using Lending.Domain.Restructuring;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;
using Wolverine.Marten;
using Wolverine.Persistence;

namespace Lending.Api.Restructuring;

/// <summary>The body of <c>POST /loans/{id}/restructure-requests</c> (API.md "Restructuring").</summary>
public sealed record RestructureRequest(RestructureType? Type, int? Periods, decimal? NewRate, decimal? WaiveAmount,
    decimal? SettlementAmount, string? Reason, IReadOnlyList<string>? Documents);

public sealed record RestructureDecision(string? Reason);

public static class RequestRestructureEndpoint
{
    public static ProblemDetails Validate(RestructureRequest request)
    {
        var errors = new Dictionary<string, string[]>();
        if (request.Type is null) errors["type"] = ["extension, installment_plan, rate_reduction, penalty_waiver or settlement."];
        if (string.IsNullOrWhiteSpace(request.Reason)) errors["reason"] = ["Why the borrower needs it (job loss, illness, ...)."];
        return errors.Count > 0 ? Problems.Invalid(errors) : WolverineContinue.NoProblems;
    }

    [WolverinePost("/loans/{loanId}/restructure-requests", OperationId = "RequestRestructure")]
    [ProducesResponseType<Loans.RestructureRequestResponse>(StatusCodes.Status201Created)]
    [Authorize(Roles = Roles.Collector + "," + Roles.SupervisorOrAdmin)]
    [Tags("Restructuring")]
    public static (IResult, Events) Post(RestructureRequest request,
        [WriteAggregate("loanId", OnMissing = OnMissing.ProblemDetailsWith404)] Loan loan,
        BusinessDay today, Lending.Domain.LendingPolicy limits, ClaimsPrincipal user, TimeProvider clock)
    {
        var now = clock.GetUtcNow();
        var requested = RestructuringDecisions.Request(loan,
            new RestructureTerms(request.Type!.Value, request.Periods, request.NewRate, request.WaiveAmount, request.SettlementAmount),
            request.Reason!.Trim(), request.Documents ?? [], user.AsCollectionsActor(), Guid.CreateVersion7(now), today.Date, now, limits);
        return (Results.Created($"/loans/{loan.Id}/restructure-requests/{requested.RequestId}",
            Loans.RestructureRequestResponse.From([requested]).Single()), [requested]);
    }
}

public static class ApproveRestructureEndpoint
{
    [WolverinePost("/loans/{loanId}/restructure-requests/{requestId}/approve", OperationId = "ApproveRestructure")]
    [Authorize(Roles = Roles.SupervisorOrAdmin)]
    [Tags("Restructuring")]
    [ProducesResponseType<Loans.RestructureApprovedResponse>(StatusCodes.Status200OK)]
    public static (IResult, Events) Post(Guid requestId, RestructureDecision request,
        [WriteAggregate("loanId", OnMissing = OnMissing.ProblemDetailsWith404)] Loan loan,
        BusinessDay today, BucketPolicy buckets, ClaimsPrincipal user, TimeProvider clock)
    {
        var events = RestructuringDecisions.Approve(loan, user.Id(), today.Date, clock.GetUtcNow(), buckets, requestId, request.Reason);
        return (Results.Ok(Loans.RestructureApprovedResponse.From(events.OfType<LoanRestructured>().Single())), [.. events]);
    }
}

public static class RejectRestructureEndpoint
{
    public static ProblemDetails Validate(RestructureDecision request) => Require.Text("reason", request.Reason, "Why it is rejected.");

    [WolverinePost("/loans/{loanId}/restructure-requests/{requestId}/reject", OperationId = "RejectRestructure")]
    [Authorize(Roles = Roles.SupervisorOrAdmin)]
    [Tags("Restructuring")]
    [ProducesResponseType<Loans.RestructureRejectedResponse>(StatusCodes.Status200OK)]
    public static (IResult, Events) Post(Guid requestId, RestructureDecision request,
        [WriteAggregate("loanId", OnMissing = OnMissing.ProblemDetailsWith404)] Loan loan,
        BusinessDay today, ClaimsPrincipal user, TimeProvider clock)
    {
        var rejected = RestructuringDecisions.Reject(loan, request.Reason!.Trim(), user.Id(), today.Date, clock.GetUtcNow(), requestId);
        return (Results.Ok(Loans.RestructureRejectedResponse.From(rejected)), [rejected]);
    }
}
