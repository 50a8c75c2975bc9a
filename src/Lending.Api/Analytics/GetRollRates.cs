using CsvHelper;
using Lending.Api.Auth;
using Lending.Api.BusinessDates;
using Lending.Domain;
using Lending.Domain.Analytics;
using Lending.Domain.Loans.Delinquency;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Lending.Api.Analytics;

[CsvRecord]
public sealed partial record RollRateCsvRow(
    [CsvColumn("from")] DateOnly From,
    [CsvColumn("to")] DateOnly To,
    [CsvColumn("fromState")] string FromState,
    [CsvColumn("toState")] string ToState,
    [CsvColumn("loans")] long Loans,
    [CsvColumn("balance")] decimal Balance,
    [CsvColumn("rate")] decimal Rate,
    [CsvColumn("balanceRate")] decimal BalanceRate);

public static class GetRollRatesEndpoint
{
    /// <summary>
    /// The roll-rate matrix between two month-ends (<c>yyyy-MM</c>; by default the last two closed), by count and by
    /// principal outstanding at the first, with the cure rate.
    /// </summary>
    [WolverineGet("/analytics/roll-rates", OperationId = "GetRollRates")]
    [Authorize(Roles = Roles.Analysts)]
    [Tags("Risk analytics")]
    [ProducesResponseType<RollRateMatrix>(StatusCodes.Status200OK)]
    [Produces("application/json", Csv.MediaType)]
    public static async Task<IResult> Get(string? from, string? to, string? product, string? region, string? branch, HttpRequest request,
        AnalyticsStore analytics, IQuerySession session, BusinessCalendarStore calendars, BucketPolicy buckets, CancellationToken ct)
    {
        var today = await calendars.TodayAsync(session, ct);
        var lastClosed = RollRateMatrix.MonthEnd(today) == today ? today : new DateOnly(today.Year, today.Month, 1).AddDays(-1);
        var toEnd = AnalyticsRequests.Month(to, "to") is { } t ? RollRateMatrix.MonthEnd(t) : lastClosed;
        var fromEnd = AnalyticsRequests.Month(from, "from") is { } f ? RollRateMatrix.MonthEnd(f) : RollRateMatrix.MonthEnd(toEnd.AddMonths(-1));
        if (fromEnd >= toEnd)
            throw new LendingRuleViolated("analytics.months_out_of_order", $"from ({fromEnd:yyyy-MM}) must be a month before to ({toEnd:yyyy-MM}).");
        if (toEnd > today)
            throw new LendingRuleViolated("analytics.month_not_closed", $"{toEnd:yyyy-MM} ends after the business date {today:yyyy-MM-dd}.");

        var transitions = await analytics.TransitionsAsync(fromEnd, toEnd, new PortfolioFilter(product, region, branch), ct);
        var matrix = RollRateMatrix.Of(fromEnd, toEnd, transitions, buckets);
        return Csv.Negotiate(request, matrix, () => matrix.Rows.SelectMany(r => r.To.Select(c =>
            new RollRateCsvRow(fromEnd, toEnd, r.From, c.To, c.Loans, c.Balance, c.Rate, c.BalanceRate))), $"roll-rates-{fromEnd:yyyy-MM}-{toEnd:yyyy-MM}.csv");
    }
}
