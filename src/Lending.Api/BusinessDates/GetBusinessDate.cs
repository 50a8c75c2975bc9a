using Lending.Api.Auth;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace Lending.Api.BusinessDates;

public sealed record BusinessDateResponse(DateOnly BusinessDate, Guid? ActiveRunId);

public static class GetBusinessDateEndpoint
{
    [WolverineGet("/business-date", OperationId = "GetBusinessDate")]
    [Authorize(Roles = Roles.Anyone)]
    [Tags("Business date")]
    public static async Task<BusinessDateResponse> Get(IQuerySession session, BusinessCalendarStore calendars, CancellationToken ct)
    {
        var calendar = await calendars.LoadAsync(session, ct);
        return new BusinessDateResponse(calendar.BusinessDate, calendar.ActiveRunId);
    }
}
