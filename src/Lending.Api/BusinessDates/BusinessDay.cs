using Marten;

namespace Lending.Api.BusinessDates;

/// <summary>Today's business date, given to every endpoint that asks for it (see <see cref="BusinessDayMiddleware"/>).</summary>
public sealed record BusinessDay(DateOnly Date);

/// <summary>Loads the business date once, before any endpoint that takes a <see cref="BusinessDay"/> parameter.</summary>
public static class BusinessDayMiddleware
{
    public static async Task<BusinessDay> BeforeAsync(IDocumentSession session, BusinessCalendarStore calendars, CancellationToken ct) =>
        new(await calendars.TodayAsync(session, ct));

    public static bool Applies(Wolverine.Http.HttpChain chain) =>
        chain.Method.Method.GetParameters().Any(p => p.ParameterType == typeof(BusinessDay));
}
