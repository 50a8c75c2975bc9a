using System.Security.Claims;
using Lending.Api.Auth;
using Lending.Api.BusinessDates;
using Lending.Domain;
using Lending.Domain.Collections;
using Lending.Domain.Loans;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Lending.Api.Collections;

public sealed record WorkQueueResponse(string CollectorId, DateOnly BusinessDate, IReadOnlyList<WorkQueueItem> Loans);

public static class GetWorkQueueEndpoint
{
    /// <summary>The loans assigned to a collector, highest priority first (scoring: <see cref="WorkQueue"/>).</summary>
    [WolverineGet("/collectors/{collectorId}/queue", OperationId = "GetWorkQueue")]
    [Authorize(Roles = Roles.Collector + "," + Roles.SupervisorOrAdmin)]
    [Tags("Collections")]
    [ProducesResponseType<WorkQueueResponse>(StatusCodes.Status200OK)]
    public static async Task<WorkQueueResponse> Get(string collectorId, IQuerySession session, BusinessCalendarStore calendars,
        LendingPolicy policy, ClaimsPrincipal user, CancellationToken ct)
    {
        if (!user.AsCollectionsActor().IsSupervisor && user.Id() != collectorId)
            throw new LendingRuleViolated("queue.not_yours", "A collector reads only their own queue.", RefusalKind.Forbidden);

        var today = await calendars.TodayAsync(session, ct);
        var loans = await session.Query<Loan>().Where(l => l.AssignedTo == collectorId).ToListAsync(ct);
        return new WorkQueueResponse(collectorId, today,
            WorkQueue.Order(loans.Where(l => l.Collections.Assignment?.Kind == AssigneeKind.Collector), today, policy.WorkQueue));
    }
}
