using JasperFx.Events;
using Lending.Domain.Analytics;
using Lending.Domain.Loans;
using Marten;
using Marten.Events.Projections;

namespace Lending.Projections.Analytics;

/// <summary>
/// The risk analysts' projection, run by the async daemon: folds each page of loan events into the loans' analytics
/// state, then writes the page's summed changes to the delinquency history, month-end positions, cohorts and
/// collector days, in the daemon's transaction for that page (so a page is counted exactly once).
/// </summary>
public sealed class PortfolioAnalyticsProjection(AnalyticsSchema schema) : IProjection
{
    public const string Name = "PortfolioAnalytics";

    public async Task ApplyAsync(IDocumentOperations operations, IReadOnlyList<IEvent> events, CancellationToken cancellation)
    {
        var byLoan = events.Where(e => e.Data is ILoanEvent).GroupBy(e => e.StreamId).ToList();
        if (byLoan.Count == 0) return;

        var loaded = await operations.LoadManyAsync<LoanAnalytics>(cancellation, byLoan.Select(g => g.Key));
        var known = loaded.ToDictionary(a => a.Id);
        var changes = new AnalyticsChanges();
        var rows = new List<LoanAnalytics>(byLoan.Count);
        foreach (var stream in byLoan)
        {
            var analytics = known.GetValueOrDefault(stream.Key);
            IReadOnlyList<IEvent>? history = null;
            foreach (var e in stream)
            {
                var loanEvent = (ILoanEvent)e.Data;
                Func<DateOnly, Loan?>? asOfBefore = null;
                if (analytics is not null && loanEvent.BusinessDate < analytics.LastDate)
                {
                    // Rare (booked for a date after events of the next): the loan's events before this one, read once.
                    history ??= await operations.Events.FetchStreamAsync(stream.Key, token: cancellation);
                    var earlier = history.Where(h => h.Sequence < e.Sequence).Select(h => h.Data).ToList();
                    asOfBefore = day => Loan.AsOf(earlier, day);
                }
                analytics = LoanAnalyticsFold.Apply(analytics, loanEvent, changes, asOfBefore);
            }
            rows.Add(analytics!);
        }
        operations.QueueOperation(new LoanAnalyticsWrite(rows, schema));
        Write(schema, operations, changes);
    }

    /// <summary>
    /// Two statements for the whole page: first each touched (cell, date) gets its row, carried forward from the
    /// cell's previous row; then every row of a touched cell from the first changed date on gets the changes up to its
    /// date (one running sum per range between changed dates), so an event booked late lands on its own date.
    /// </summary>
    private static void WriteExposure(AnalyticsSchema schema, IDocumentOperations operations, AnalyticsChanges changes)
    {
        var ranges = changes.Exposure.Where(x => !x.Value.IsZero).GroupBy(x => x.Key.Cell).SelectMany(cell =>
        {
            var dates = cell.OrderBy(x => x.Key.Date).ToList();
            var running = new ExposureDelta(0, 0m, 0m);
            return dates.Select((x, i) =>
            {
                running += x.Value;
                return (Cell: cell.Key, From: x.Key.Date, Until: i + 1 < dates.Count ? dates[i + 1].Key.Date : (DateOnly?)null, Sum: running);
            }).ToList();
        }).ToList();
        if (ranges.Count == 0) return;

        object[] Cells() => [ranges.Select(r => r.Cell.Product).ToArray(), ranges.Select(r => r.Cell.Region).ToArray(),
            ranges.Select(r => r.Cell.Branch).ToArray(), ranges.Select(r => RollState.BucketName(r.Cell.Bucket)).ToArray()];

        operations.QueueSqlCommand($"""
            with d as (select * from unnest(?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[], ?::date[]) d(product, region, branch, bucket, business_date)),
            cells as (insert into {schema.Cells} (product, region, branch, bucket) select distinct product, region, branch, bucket from d on conflict do nothing)
            insert into {schema.History} (product, region, branch, bucket, business_date, loans, principal_outstanding, total_outstanding)
            select d.product, d.region, d.branch, d.bucket, d.business_date, coalesce(p.loans, 0), coalesce(p.principal_outstanding, 0),
                   coalesce(p.total_outstanding, 0)
            from d left join lateral (
              select h.loans, h.principal_outstanding, h.total_outstanding from {schema.History} h
              where h.product = d.product and h.region = d.region and h.branch = d.branch and h.bucket = d.bucket and h.business_date < d.business_date
              order by h.business_date desc limit 1) p on true
            on conflict do nothing
            """, [.. Cells(), ranges.Select(r => r.From).ToArray()]);

        operations.QueueSqlCommand($"""
            update {schema.History} h set loans = h.loans + c.loans, principal_outstanding = h.principal_outstanding + c.principal,
                total_outstanding = h.total_outstanding + c.total
            from unnest(?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[], ?::date[], ?::date[], ?::int[], ?::numeric[], ?::numeric[])
              c(product, region, branch, bucket, from_date, until_date, loans, principal, total)
            where h.product = c.product and h.region = c.region and h.branch = c.branch and h.bucket = c.bucket
              and h.business_date >= c.from_date and (c.until_date is null or h.business_date < c.until_date)
            """, [.. Cells(), ranges.Select(r => r.From).ToArray(), ranges.Select(r => r.Until).ToArray(),
            ranges.Select(r => r.Sum.Loans).ToArray(), ranges.Select(r => r.Sum.Principal).ToArray(), ranges.Select(r => r.Sum.Total).ToArray()]);
    }

    /// <summary>The summed changes of a page (or of a replay's stretch of events), as a few set-based statements.</summary>
    public static void Write(AnalyticsSchema schema, IDocumentOperations operations, AnalyticsChanges changes)
    {
        WriteExposure(schema, operations, changes);

        if (changes.MonthEnds.Count > 0)
        {
            // One row per loan and month-end in a statement (an upsert may not touch a row twice): the last position wins.
            var m = changes.MonthEnds.GroupBy(x => (x.LoanId, x.MonthEnd)).Select(g => g.Last()).ToList();
            operations.QueueSqlCommand(
                $"insert into {schema.MonthEnds} (loan_id, month_end, product, region, branch, state, principal_outstanding, total_outstanding) " +
                "select * from unnest(?::uuid[], ?::date[], ?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[], ?::numeric[], ?::numeric[]) " +
                // A late event restates a month-end already recorded (see LoanAnalyticsFold.Restate).
                "on conflict (loan_id, month_end) do update set state = excluded.state, " +
                "principal_outstanding = excluded.principal_outstanding, total_outstanding = excluded.total_outstanding",
                m.Select(x => x.LoanId).ToArray(), m.Select(x => x.MonthEnd).ToArray(), m.Select(x => x.Dimensions.Product).ToArray(),
                m.Select(x => x.Dimensions.Region).ToArray(), m.Select(x => x.Dimensions.Branch).ToArray(), m.Select(x => x.State).ToArray(),
                m.Select(x => x.PrincipalOutstanding).ToArray(), m.Select(x => x.TotalOutstanding).ToArray());
        }

        if (changes.Collectors.Count > 0)
        {
            var c = changes.Collectors.ToList();
            operations.QueueSqlCommand(
                $"insert into {schema.Collectors} as t (assignee, product, region, branch, business_date, contacts, right_party_contacts, " +
                "promises_made, promises_kept, promises_broken, recovered) " +
                "select * from unnest(?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[], ?::date[], ?::int[], ?::int[], ?::int[], ?::int[], ?::int[], ?::numeric[]) " +
                "on conflict (assignee, product, region, branch, business_date) do update set contacts = t.contacts + excluded.contacts, " +
                "right_party_contacts = t.right_party_contacts + excluded.right_party_contacts, promises_made = t.promises_made + excluded.promises_made, " +
                "promises_kept = t.promises_kept + excluded.promises_kept, promises_broken = t.promises_broken + excluded.promises_broken, " +
                "recovered = t.recovered + excluded.recovered",
                c.Select(x => x.Key.Assignee).ToArray(), c.Select(x => x.Key.Dimensions.Product).ToArray(),
                c.Select(x => x.Key.Dimensions.Region).ToArray(), c.Select(x => x.Key.Dimensions.Branch).ToArray(),
                c.Select(x => x.Key.Date).ToArray(), c.Select(x => x.Value.Contacts).ToArray(), c.Select(x => x.Value.RightPartyContacts).ToArray(),
                c.Select(x => x.Value.PromisesMade).ToArray(), c.Select(x => x.Value.PromisesKept).ToArray(),
                c.Select(x => x.Value.PromisesBroken).ToArray(), c.Select(x => x.Value.Recovered).ToArray());
        }

        if (changes.Cohorts.Count > 0)
        {
            var c = changes.Cohorts.ToList();
            operations.QueueSqlCommand(
                $"insert into {schema.Cohorts} as t (cohort, product, region, branch, business_date, disbursed, reached) " +
                "select * from unnest(?::date[], ?::varchar[], ?::varchar[], ?::varchar[], ?::date[], ?::int[], ?::int[]) " +
                "on conflict (cohort, product, region, branch, business_date) do update set disbursed = t.disbursed + excluded.disbursed, " +
                "reached = t.reached + excluded.reached",
                c.Select(x => x.Key.Cohort).ToArray(), c.Select(x => x.Key.Dimensions.Product).ToArray(),
                c.Select(x => x.Key.Dimensions.Region).ToArray(), c.Select(x => x.Key.Dimensions.Branch).ToArray(),
                c.Select(x => x.Key.Date).ToArray(), c.Select(x => x.Value.Disbursed).ToArray(), c.Select(x => x.Value.Reached).ToArray());
        }
    }
}
