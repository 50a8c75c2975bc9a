using System.Globalization;
using Lending.Api.BusinessDates;
using Lending.Domain;
using Marten;

namespace Lending.Api.Analytics;

/// <summary>Checks shared by the analytics endpoints.</summary>
public static class AnalyticsRequests
{
    /// <summary>The business date a question is about: the given past date, or today's business date.</summary>
    public static async Task<DateOnly> AsOfAsync(DateOnly? asOf, IQuerySession session, BusinessCalendarStore calendars, CancellationToken ct)
    {
        var today = await calendars.TodayAsync(session, ct);
        if (asOf > today)
            throw new LendingRuleViolated("as_of.in_future", $"asOf {asOf:yyyy-MM-dd} is after the business date {today:yyyy-MM-dd}.");
        return asOf ?? today;
    }

    /// <summary>A <c>yyyy-MM</c> month as its first day.</summary>
    public static DateOnly? Month(string? value, string name) =>
        value is null ? null
        : DateOnly.TryParseExact($"{value}-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var month) ? month
        : throw new LendingRuleViolated("analytics.bad_month", $"{name} must be a month as yyyy-MM, not '{value}'.");
}
