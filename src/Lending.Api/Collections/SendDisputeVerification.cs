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

public sealed record DisputeVerificationRequest(string? Summary);

/// <summary><c>POST /loans/{id}/dispute-verification</c>: verification of a disputed debt was sent; collection may resume.</summary>
public static class SendDisputeVerificationEndpoint
{
    public static ProblemDetails Validate(DisputeVerificationRequest request) =>
        Require.Text("summary", request.Summary, "What was sent, how and when (it is evidence).");

    [WolverinePost("/loans/{loanId}/dispute-verification", OperationId = "SendDisputeVerification")]
    [Authorize(Roles = Roles.Collector + "," + Roles.SupervisorOrAdmin)]
    [Tags("Collections")]
    [ProducesResponseType<Loans.DisputeVerificationResponse>(StatusCodes.Status200OK)]
    public static (IResult, Events) Post(DisputeVerificationRequest request,
        [WriteAggregate("loanId", OnMissing = OnMissing.ProblemDetailsWith404)] Loan loan,
        BusinessDay today, ClaimsPrincipal user, TimeProvider clock)
    {
        var sent = CollectionsDecisions.SendDisputeVerification(loan, request.Summary!.Trim(), user.AsCollectionsActor(), today.Date, clock.GetUtcNow());
        return (Results.Ok(new Loans.DisputeVerificationResponse(loan.Id, DisputeUnverified: false, sent.Summary)), [sent]);
    }
}
