using Lending.Api.Auth;
using Lending.Domain.CloseOfBusiness;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Lending.Api.BusinessDates;

/// <param name="LastMovedAt">When the run last closed a batch or a date (or was started or resumed): a running run that has
/// not moved for long has lost its message and is resumed with <c>POST /cob/runs/{id}/resume</c>.</param>
public sealed record CobRunResponse(
    Guid RunId,
    CobRunStatus Status,
    DateOnly BusinessDate,
    DateOnly FromDate,
    DateOnly ToDate,
    int DaysClosed,
    long LoansProcessed,
    string RequestedBy,
    DateTimeOffset StartedAt,
    DateTimeOffset? FinishedAt,
    string? Error,
    DateTimeOffset LastMovedAt)
{
    public static CobRunResponse From(CobRun run) => new(run.Id, run.Status,
        run.LastClosedDate ?? run.FromDate.AddDays(-1), run.FromDate, run.ToDate, run.DaysClosed, run.LoansProcessed,
        run.RequestedBy, run.StartedAt, run.FinishedAt, run.Error, run.LastMoved);
}

public static class GetCobRunEndpoint
{
    [WolverineGet("/cob/runs/{runId}", OperationId = "GetCobRun")]
    [Authorize(Roles = Roles.Anyone)]
    [Tags("Business date")]
    [ProducesResponseType<CobRunResponse>(StatusCodes.Status200OK)]
    public static async Task<IResult> Get(Guid runId, IQuerySession session, CancellationToken ct) =>
        await session.LoadAsync<CobRun>(runId, ct) is { } run
            ? Results.Ok(CobRunResponse.From(run))
            : Results.Problem(Setup.Problems.Create(StatusCodes.Status404NotFound, "cob.run_not_found", $"No close-of-business run {runId}."));
}
