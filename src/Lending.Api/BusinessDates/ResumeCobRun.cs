using Lending.Api.Auth;
using Lending.Domain;
using Lending.Domain.CloseOfBusiness;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine;
using Wolverine.Http;

namespace Lending.Api.BusinessDates;

public sealed record ResumeCobRun(string? Note);

/// <summary>
/// <c>POST /cob/runs/{runId}/resume</c>: an operator re-sends the next step of a run that stopped (a message
/// dead-lettered after an outage, or a run that failed on a defect since fixed). Steps are idempotent, so resuming a
/// run that is in fact still moving does no harm.
/// </summary>
public static class ResumeCobRunEndpoint
{
    [WolverinePost("/cob/runs/{runId}/resume", OperationId = "ResumeCobRun")]
    [Authorize(Roles = Roles.Admin)]
    [Tags("Business date")]
    [ProducesResponseType<CobRunResponse>(StatusCodes.Status202Accepted)]
    public static async Task<(IResult, OutgoingMessages)> Post(Guid runId, ResumeCobRun request, IDocumentSession session,
        BusinessCalendarStore calendars, TimeProvider clock, CancellationToken ct)
    {
        var run = await session.LoadAsync<CobRun>(runId, ct)
            ?? throw new LendingRuleViolated("cob.run_not_found", $"No close-of-business run {runId}.", RefusalKind.NotFound);
        var calendar = await calendars.LoadAsync(session, ct);
        var resumed = CobDecisions.Resume(run, calendar, clock.GetUtcNow());
        session.Store(resumed);
        session.Store(calendar with { ActiveRunId = run.Id });
        return (Results.Accepted($"/cob/runs/{run.Id}", CobRunResponse.From(resumed)),
            [new CloseBusinessDate(run.Id, resumed.NextDate!.Value, resumed.Cursor)]);
    }
}
