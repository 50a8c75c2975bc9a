using Lending.Domain.CloseOfBusiness;
using Marten;
using Marten.Services.BatchQuerying;

namespace Lending.Api.BusinessDates;

/// <summary>Today's business date, given to every endpoint that asks for it (see <see cref="BusinessDayMiddleware"/>).</summary>
public sealed record BusinessDay(DateOnly Date);

/// <summary>
/// Reads today's business date as a Marten query plan. Wolverine puts it in the same batched query as the endpoint's
/// other Marten reads (the loan of a <c>[WriteAggregate]</c>), so a write on a loan costs one round trip to load and one
/// to save; an endpoint with no other read runs it alone.
/// </summary>
public sealed class TodaysBusinessDay(BusinessCalendarStore calendars) : IQueryPlan<BusinessDay>, IBatchQueryPlan<BusinessDay>
{
    public async Task<BusinessDay> Fetch(IQuerySession session, CancellationToken token) =>
        new(await calendars.TodayAsync(session, token));

    public async Task<BusinessDay> Fetch(IBatchedQuery query) =>
        new((await query.Load<BusinessCalendar>(BusinessCalendar.DocumentId) ?? calendars.Initial).BusinessDate);
}

/// <summary>Loads the business date once, before any endpoint that takes a <see cref="BusinessDay"/> parameter.</summary>
public static class BusinessDayMiddleware
{
    public static TodaysBusinessDay Before(BusinessCalendarStore calendars) => new(calendars);

    public static bool Applies(Wolverine.Http.HttpChain chain) =>
        chain.Method.Method.GetParameters().Any(p => p.ParameterType == typeof(BusinessDay));
}
