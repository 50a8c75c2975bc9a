using Marten;

namespace Lending.Api.BusinessDates;

/// <summary>Today's business date, loaded for an endpoint by its <c>LoadAsync</c>.</summary>
public sealed record BusinessDay(DateOnly Date)
{
    public static async Task<BusinessDay> LoadAsync(IQuerySession session, BusinessCalendarStore calendars, CancellationToken ct) =>
        new(await calendars.TodayAsync(session, ct));
}
