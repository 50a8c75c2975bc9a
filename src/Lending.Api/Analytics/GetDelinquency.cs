using CsvHelper;
using Lending.Api.Auth;
using Lending.Api.BusinessDates;
using Lending.Domain.Analytics;
using Lending.Domain.Loans.Delinquency;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Lending.Api.Analytics;

[CsvRecord]
public sealed partial record DelinquencyCsvRow(
    [CsvColumn("asOf")] DateOnly AsOf,
    [CsvColumn("bucket")] string Bucket,
    [CsvColumn("loans")] long Loans,
    [CsvColumn("principalOutstanding")] decimal PrincipalOutstanding,
    [CsvColumn("totalOutstanding")] decimal TotalOutstanding,
    [CsvColumn("par30")] decimal Par30,
    [CsvColumn("par90")] decimal Par90,
    [CsvColumn("expectedLoss")] decimal ExpectedLoss);

public static class GetDelinquencyEndpoint
{
    /// <summary>
    /// Loans and balances by delinquency bucket, PAR30/PAR90, provisioning and expected loss, at the end of a business
    /// date (today's by default), read from the analytics projection's daily history.
    /// </summary>
    [WolverineGet("/analytics/delinquency", OperationId = "GetDelinquencySummary")]
    [Authorize(Roles = Roles.Analysts)]
    [Tags("Risk analytics")]
    [ProducesResponseType<DelinquencySummary>(StatusCodes.Status200OK)]
    [Produces("application/json", Csv.MediaType)]
    public static async Task<IResult> Get(DateOnly? asOf, string? product, string? region, string? branch, HttpRequest request,
        AnalyticsStore analytics, IQuerySession session, BusinessCalendarStore calendars, BucketPolicy buckets,
        ProvisioningPolicy provisioning, CancellationToken ct)
    {
        var date = await AnalyticsRequests.AsOfAsync(asOf, session, calendars, ct);
        var rows = await analytics.DelinquencyAsync(date, new PortfolioFilter(product, region, branch), ct);
        var summary = DelinquencySummary.Of(date, rows, buckets, provisioning);
        return Csv.Negotiate(request, summary, () => summary.Buckets.Select(b => new DelinquencyCsvRow(summary.AsOf, b.Bucket, b.Loans,
            b.PrincipalOutstanding, b.TotalOutstanding, summary.Par30, summary.Par90, summary.ExpectedLoss)), $"delinquency-{date:yyyy-MM-dd}.csv");
    }
}
