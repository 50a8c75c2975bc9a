using System.Security.Claims;
using Lending.Api.Auth;
using Lending.Api.Setup;
using Lending.Domain.CloseOfBusiness;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine;
using Wolverine.Http;

namespace Lending.Api.BusinessDates;

public sealed record AdvanceBusinessDate(int? Days);

public sealed record CobRunAccepted(Guid RunId, DateOnly FromDate, DateOnly ToDate);

/// <summary>
/// <c>POST /business-date/advance</c>: starts a close-of-business run over the next <c>days</c> dates and answers
/// at once; the run proceeds date by date through durable messages and is watched at <c>GET /cob/runs/{runId}</c>.
/// </summary>
public static class AdvanceBusinessDateEndpoint
{
    public static ProblemDetails Validate(AdvanceBusinessDate request) =>
        request.Days is null
            ? Problems.Invalid(new Dictionary<string, string[]> { ["days"] = ["The number of days to advance is required."] })
            : WolverineContinue.NoProblems;

    [WolverinePost("/business-date/advance", OperationId = "AdvanceBusinessDate")]
    [Authorize(Roles = Roles.Admin)]
    [Tags("Business date")]
    [ProducesResponseType<CobRunAccepted>(StatusCodes.Status202Accepted)]
    public static async Task<(IResult, OutgoingMessages)> Post(AdvanceBusinessDate request, IDocumentSession session,
        BusinessCalendarStore calendars, ClaimsPrincipal user, TimeProvider clock, CancellationToken ct)
    {
        var calendar = await calendars.LoadAsync(session, ct);
        var run = CobDecisions.Start(calendar, request.Days!.Value, Guid.CreateVersion7(clock.GetUtcNow()), user.Id(), clock.GetUtcNow());

        session.Store(run);
        session.Store(calendar with { ActiveRunId = run.Id });

        return (Results.Accepted($"/cob/runs/{run.Id}", new CobRunAccepted(run.Id, run.FromDate, run.ToDate)),
            [new CloseBusinessDate(run.Id, run.FromDate)]);
    }
}
