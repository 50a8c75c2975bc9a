using System.Security.Claims;
using Lending.Api.Auth;
using Lending.Api.BusinessDates;
using Lending.Api.Collections;
using Lending.Domain.Escalation;
using Lending.Domain.Loans;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;
using Wolverine.Marten;
using Wolverine.Persistence;

namespace Lending.Api.Escalation;

public sealed record ApproveWriteOff(string? Note);

public sealed record RejectWriteOff(string? Reason);

/// <summary>
/// Maker–checker for a charge-off: the escalation ladder (or a person) proposes, a supervisor who is not the proposer
/// approves or rejects.
/// </summary>
public static class ApproveWriteOffEndpoint
{
    [WolverinePost("/loans/{loanId}/write-off/approve", OperationId = "ApproveWriteOff")]
    [Authorize(Roles = Roles.SupervisorOrAdmin)]
    [Tags("Escalation")]
    public static (IResult, Events) Post(ApproveWriteOff request,
        [WriteAggregate("loanId", OnMissing = OnMissing.ProblemDetailsWith404)] Loan loan,
        BusinessDay today, ClaimsPrincipal user, TimeProvider clock)
    {
        var written = WriteOffDecisions.Approve(loan, user.Id(), today.Date, clock.GetUtcNow());
        return (Results.Ok(written), [written]);
    }
}

public static class RejectWriteOffEndpoint
{
    public static ProblemDetails Validate(RejectWriteOff request) =>
        Require.Text("reason", request.Reason, "Why the loan is not to be written off.");

    [WolverinePost("/loans/{loanId}/write-off/reject", OperationId = "RejectWriteOff")]
    [Authorize(Roles = Roles.SupervisorOrAdmin)]
    [Tags("Escalation")]
    public static (IResult, Events) Post(RejectWriteOff request,
        [WriteAggregate("loanId", OnMissing = OnMissing.ProblemDetailsWith404)] Loan loan,
        BusinessDay today, ClaimsPrincipal user, TimeProvider clock)
    {
        var rejected = WriteOffDecisions.Reject(loan, request.Reason!.Trim(), user.Id(), today.Date, clock.GetUtcNow());
        return (Results.Ok(rejected), [rejected]);
    }
}
