using CsvHelper;
using Lending.Api.Auth;
using Lending.Api.BusinessDates;
using Lending.Domain.Analytics;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Lending.Api.Analytics;

public sealed record VintagesResponse(DateOnly AsOf, int ThresholdDpd, IReadOnlyList<VintageCurve> Cohorts);

[CsvRecord]
public sealed partial record VintageCsvRow(
    [CsvColumn("cohort")] DateOnly Cohort,
    [CsvColumn("loans")] long Loans,
    [CsvColumn("monthOnBook")] int MonthOnBook,
    [CsvColumn("through")] DateOnly Through,
    [CsvColumn("reached")] long Reached,
    [CsvColumn("share")] decimal Share);

public static class GetVintagesEndpoint
{
    /// <summary>For each disbursement month, the share of its loans ever 30+ days past due by month on book.</summary>
    [WolverineGet("/analytics/vintages", OperationId = "GetVintages")]
    [Authorize(Roles = Roles.Analysts)]
    [Tags("Risk analytics")]
    [ProducesResponseType<VintagesResponse>(StatusCodes.Status200OK)]
    [Produces("application/json", Csv.MediaType)]
    public static async Task<IResult> Get(DateOnly? asOf, string? product, string? region, string? branch, HttpRequest request,
        AnalyticsStore analytics, IQuerySession session, BusinessCalendarStore calendars, CancellationToken ct)
    {
        var date = await AnalyticsRequests.AsOfAsync(asOf, session, calendars, ct);
        var curves = Vintages.Of(date, await analytics.CohortsAsync(date, new PortfolioFilter(product, region, branch), ct));
        return Csv.Negotiate(request, new VintagesResponse(date, Vintages.Threshold, curves), () => curves.SelectMany(c =>
            c.Points.Select(p => new VintageCsvRow(c.Cohort, c.Loans, p.MonthOnBook, p.Through, p.Loans, p.Share))), $"vintages-{date:yyyy-MM-dd}.csv");
    }
}
