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

public sealed record ProposeWriteOff(string? Reason);

/// <summary>A write-off proposal waiting for a checker (<c>POST /loans/{id}/write-off/propose</c>).</summary>
public sealed record WriteOffProposalResponse(Guid LoanId, Guid ProposalId, int Dpd, int MinDpd, decimal PrincipalOutstanding,
    decimal TotalOutstanding, string ProposedBy, string? Reason, DateOnly BusinessDate)
{
    public static WriteOffProposalResponse From(WriteOffProposed p) =>
        new(p.LoanId, p.ProposalId, p.Dpd, p.MinDpd, p.PrincipalOutstanding, p.TotalOutstanding, p.ProposedBy, p.Reason, p.BusinessDate);
}

/// <summary>
/// A supervisor proposes a charge-off: a loan whose ladder proposal was rejected earlier, or one the ladder would not
/// reach (a deceased borrower, fraud). Another supervisor approves or rejects it.
/// </summary>
public static class ProposeWriteOffEndpoint
{
    public static ProblemDetails Validate(ProposeWriteOff request) =>
        Require.Text("reason", request.Reason, "Why the loan should be written off.");

    [WolverinePost("/loans/{loanId}/write-off/propose", OperationId = "ProposeWriteOff")]
    [Authorize(Roles = Roles.SupervisorOrAdmin)]
    [Tags("Escalation")]
    [ProducesResponseType<WriteOffProposalResponse>(StatusCodes.Status201Created)]
    public static (IResult, Events) Post(ProposeWriteOff request,
        [WriteAggregate("loanId", OnMissing = OnMissing.ProblemDetailsWith404)] Loan loan,
        BusinessDay today, ClaimsPrincipal user, TimeProvider clock)
    {
        var now = clock.GetUtcNow();
        var proposed = WriteOffDecisions.ProposeBySupervisor(loan, request.Reason!.Trim(), user.Id(), Guid.CreateVersion7(now), today.Date, now);
        // The pending proposal shows on the loan.
        return (Results.Created($"/loans/{loan.Id}", WriteOffProposalResponse.From(proposed)), [proposed]);
    }
}

/// <summary>
/// Maker–checker for a charge-off: the escalation ladder (or a person) proposes, a supervisor who is not the proposer
/// approves or rejects.
/// </summary>
public static class ApproveWriteOffEndpoint
{
    [WolverinePost("/loans/{loanId}/write-off/approve", OperationId = "ApproveWriteOff")]
    [Authorize(Roles = Roles.SupervisorOrAdmin)]
    [Tags("Escalation")]
    [ProducesResponseType<Loans.WriteOffApprovedResponse>(StatusCodes.Status200OK)]
    public static (IResult, Events) Post(ApproveWriteOff request,
        [WriteAggregate("loanId", OnMissing = OnMissing.ProblemDetailsWith404)] Loan loan,
        BusinessDay today, ClaimsPrincipal user, TimeProvider clock)
    {
        var written = WriteOffDecisions.Approve(loan, user.Id(), today.Date, clock.GetUtcNow(), request.Note);
        return (Results.Ok(Loans.WriteOffApprovedResponse.From(written)), [written]);
    }
}

public static class RejectWriteOffEndpoint
{
    public static ProblemDetails Validate(RejectWriteOff request) =>
        Require.Text("reason", request.Reason, "Why the loan is not to be written off.");

    [WolverinePost("/loans/{loanId}/write-off/reject", OperationId = "RejectWriteOff")]
    [Authorize(Roles = Roles.SupervisorOrAdmin)]
    [Tags("Escalation")]
    [ProducesResponseType<Loans.WriteOffRejectedResponse>(StatusCodes.Status200OK)]
    public static (IResult, Events) Post(RejectWriteOff request,
        [WriteAggregate("loanId", OnMissing = OnMissing.ProblemDetailsWith404)] Loan loan,
        BusinessDay today, ClaimsPrincipal user, TimeProvider clock)
    {
        var rejected = WriteOffDecisions.Reject(loan, request.Reason!.Trim(), user.Id(), today.Date, clock.GetUtcNow());
        return (Results.Ok(Loans.WriteOffRejectedResponse.From(rejected)), [rejected]);
    }
}
