using System.Security.Claims;
using System.Text;
using System.Text.Json;
using Lending.Api.Auth;
using Lending.Api.BusinessDates;
using Lending.Domain;
using Lending.Domain.Collections;
using Lending.Domain.Loans;
using Lending.Projections.Collections;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Lending.Api.Collections;

/// <summary>A page of a collector's queue; <see cref="NextCursor"/> reads the next one (null on the last page).</summary>
public sealed record WorkQueueResponse(string CollectorId, DateOnly BusinessDate, IReadOnlyList<WorkQueueItem> Loans, string? NextCursor);

public static class GetWorkQueueEndpoint
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 500;

    private sealed record Row(Guid LoanId, string BorrowerName, string Currency, string Bucket, int Dpd, decimal TotalOutstanding,
        DateOnly? PromiseDueOn, int BrokenPromises, DateTimeOffset? LastContactAt, int Priority);

    private sealed record Cursor(int Priority, int Dpd, Guid LoanId);

    /// <summary>
    /// The loans assigned to a collector, highest priority first (scoring: <see cref="WorkQueue"/>), a page at a time from
    /// the work-queue read model: <c>?limit=</c> (default 50, at most 500) and the previous page's <c>cursor</c>.
    /// </summary>
    [WolverineGet("/collectors/{collectorId}/queue", OperationId = "GetWorkQueue")]
    [Authorize(Roles = Roles.Collector + "," + Roles.SupervisorOrAdmin)]
    [Tags("Collections")]
    [ProducesResponseType<WorkQueueResponse>(StatusCodes.Status200OK)]
    public static async Task<WorkQueueResponse> Get(string collectorId, int? limit, string? cursor, IQuerySession session,
        BusinessCalendarStore calendars, WorkQueueSchema queues, ClaimsPrincipal user, CancellationToken ct)
    {
        if (!user.AsCollectionsActor().IsSupervisor && user.Id() != collectorId)
            throw new LendingRuleViolated("queue.not_yours", "A collector reads only their own queue.", RefusalKind.Forbidden);
        var size = limit ?? DefaultLimit;
        if (size is < 1 or > MaxLimit) throw new LendingRuleViolated("queue.limit", $"limit is 1 to {MaxLimit}.");
        var after = cursor is null ? null : Decode(cursor);

        // Today's date and the page in one round trip.
        var batch = session.CreateBatchQuery();
        var businessDay = batch.QueryByPlan(calendars.Today);
        var json = batch.Query<string>($"""
            select json_build_object('loanId', loan_id, 'borrowerName', borrower_name, 'currency', currency, 'bucket', bucket, 'dpd', dpd,
              'totalOutstanding', total_outstanding, 'promiseDueOn', promise_due_on, 'brokenPromises', broken_promises,
              'lastContactAt', last_contact_at, 'priority', priority)::text
            from {queues.Table}
            where assignee_id = ? and (? or priority < ? or (priority = ? and (dpd < ? or (dpd = ? and loan_id > ?))))
            order by priority desc, dpd desc, loan_id
            limit ?
            """, collectorId, after is null, after?.Priority ?? 0, after?.Priority ?? 0, after?.Dpd ?? 0, after?.Dpd ?? 0,
            after?.LoanId ?? Guid.Empty, size + 1);
        await batch.Execute(ct);
        var today = (await businessDay).Date;
        var rows = (await json).Select(r => JsonSerializer.Deserialize<Row>(r, Json)!).ToList();

        var page = rows.Take(size).Select(r => new WorkQueueItem(r.LoanId, r.BorrowerName, r.Dpd, ParseBucket(r.Bucket), r.TotalOutstanding,
            r.Currency, r.PromiseDueOn, r.BrokenPromises, r.LastContactAt, r.Priority)).ToList();
        var next = rows.Count > size ? Encode(new Cursor(page[^1].Priority, page[^1].Dpd, page[^1].LoanId)) : null;
        return new WorkQueueResponse(collectorId, today, page, next);
    }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static DelinquencyBucket ParseBucket(string bucket) =>
        Enum.GetValues<DelinquencyBucket>().First(b => Lending.Domain.Analytics.RollState.BucketName(b) == bucket);

    private static string Encode(Cursor c) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"{c.Priority}:{c.Dpd}:{c.LoanId:N}")).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static Cursor Decode(string cursor)
    {
        try
        {
            var b64 = cursor.Replace('-', '+').Replace('_', '/');
            var parts = Encoding.UTF8.GetString(Convert.FromBase64String(b64.PadRight(b64.Length + (4 - b64.Length % 4) % 4, '='))).Split(':');
            return new Cursor(int.Parse(parts[0]), int.Parse(parts[1]), Guid.ParseExact(parts[2], "N"));
        }
        catch (Exception e) when (e is FormatException or IndexOutOfRangeException or OverflowException)
        {
            throw new LendingRuleViolated("queue.cursor", "cursor is not one this API gave.");
        }
    }
}
