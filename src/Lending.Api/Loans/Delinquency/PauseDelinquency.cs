using System.Security.Claims;
using Lending.Api.Auth;
using Lending.Api.BusinessDates;
using Lending.Api.Setup;
using Lending.Domain.Loans;
using Lending.Domain.Loans.Delinquency;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;
using Wolverine.Marten;
using Wolverine.Persistence;

namespace Lending.Api.Loans.Delinquency;

public sealed record PauseDelinquencyRequest(string? Reason);

public sealed record ResumeDelinquencyRequest(string? Note);

/// <summary>
/// A supervisor stops the delinquency clock (a dispute, a disaster) and starts it again. From the day after the pause
/// until the day of the resume, DPD does not grow and no penalty accrues.
/// </summary>
public static class PauseDelinquencyEndpoint
{
    public static ProblemDetails Validate(PauseDelinquencyRequest request) =>
        string.IsNullOrWhiteSpace(request.Reason)
            ? Problems.Invalid(new Dictionary<string, string[]> { ["reason"] = ["A reason is required: it is part of the record."] })
            : WolverineContinue.NoProblems;

    [WolverinePost("/loans/{loanId}/delinquency-pause", OperationId = "PauseDelinquency")]
    [Authorize(Roles = Roles.SupervisorOrAdmin)]
    [Tags("Delinquency")]
    [ProducesResponseType<DelinquencyPauseResponse>(StatusCodes.Status200OK)]
    public static (IResult, Events) Post(PauseDelinquencyRequest request,
        [WriteAggregate("loanId", OnMissing = OnMissing.ProblemDetailsWith404)] Loan loan,
        BusinessDay today, ClaimsPrincipal user, TimeProvider clock)
    {
        var paused = PauseDecisions.Pause(loan, request.Reason!.Trim(), today.Date, user.Id(), clock.GetUtcNow());
        return (Results.Ok(new DelinquencyPauseResponse(loan.Id, paused.BusinessDate.AddDays(1), paused.Reason)), [paused]);
    }
}

public static class ResumeDelinquencyEndpoint
{
    [WolverinePost("/loans/{loanId}/delinquency-resume", OperationId = "ResumeDelinquency")]
    [Authorize(Roles = Roles.SupervisorOrAdmin)]
    [Tags("Delinquency")]
    [ProducesResponseType<DelinquencyResumeResponse>(StatusCodes.Status200OK)]
    public static (IResult, Events) Post(ResumeDelinquencyRequest request,
        [WriteAggregate("loanId", OnMissing = OnMissing.ProblemDetailsWith404)] Loan loan,
        BusinessDay today, ClaimsPrincipal user, TimeProvider clock)
    {
        var resumed = PauseDecisions.Resume(loan, today.Date, user.Id(), clock.GetUtcNow(), request.Note);
        return (Results.Ok(new DelinquencyResumeResponse(loan.Id, resumed.BusinessDate.AddDays(1), resumed.Note)), [resumed]);
    }
}
