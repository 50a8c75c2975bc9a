using CsvHelper;
using Lending.Api.Auth;
using Lending.Api.BusinessDates;
using Lending.Domain;
using Lending.Domain.Analytics;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Lending.Api.Analytics;

public sealed record CollectorPerformanceResponse(DateOnly? From, DateOnly To, IReadOnlyList<CollectorPerformance> Collectors);

[CsvRecord]
public sealed partial record CollectorCsvRow(
    [CsvColumn("from")] DateOnly? From,
    [CsvColumn("to")] DateOnly To,
    [CsvColumn("assignee")] string Assignee,
    [CsvColumn("contacts")] long Contacts,
    [CsvColumn("rightPartyContacts")] long RightPartyContacts,
    [CsvColumn("rightPartyContactRate")] decimal RightPartyContactRate,
    [CsvColumn("promisesMade")] long PromisesMade,
    [CsvColumn("promisesKept")] long PromisesKept,
    [CsvColumn("promisesBroken")] long PromisesBroken,
    [CsvColumn("promiseKeptRate")] decimal PromiseKeptRate,
    [CsvColumn("amountRecovered")] decimal AmountRecovered);

public static class GetCollectorPerformanceEndpoint
{
    /// <summary>
    /// Per collector (and agency or mediator) over business dates <c>from</c>–<c>to</c> (by default the whole book up
    /// to today): contacts, right-party contact rate, promises made and kept rate, amounts recovered.
    /// </summary>
    [WolverineGet("/analytics/collectors", OperationId = "GetCollectorPerformance")]
    [Authorize(Roles = Roles.Analysts)]
    [Tags("Risk analytics")]
    [ProducesResponseType<CollectorPerformanceResponse>(StatusCodes.Status200OK)]
    [Produces("application/json", Csv.MediaType)]
    public static async Task<IResult> Get(DateOnly? from, DateOnly? to, string? product, string? region, string? branch, HttpRequest request,
        AnalyticsStore analytics, IQuerySession session, BusinessCalendarStore calendars, CancellationToken ct)
    {
        var until = await AnalyticsRequests.AsOfAsync(to, session, calendars, ct);
        if (from > until)
            throw new LendingRuleViolated("analytics.dates_out_of_order", $"from ({from:yyyy-MM-dd}) is after to ({until:yyyy-MM-dd}).");
        var collectors = (await analytics.CollectorsAsync(from ?? DateOnly.MinValue, until, new PortfolioFilter(product, region, branch), ct))
            .Select(CollectorPerformance.Of).ToList();
        return Csv.Negotiate(request, new CollectorPerformanceResponse(from, until, collectors), () => collectors.Select(c => new CollectorCsvRow(from, until,
            c.Assignee, c.Contacts, c.RightPartyContacts, c.RightPartyContactRate, c.PromisesMade, c.PromisesKept, c.PromisesBroken,
            c.PromiseKeptRate, c.AmountRecovered)), $"collectors-{until:yyyy-MM-dd}.csv");
    }
}
