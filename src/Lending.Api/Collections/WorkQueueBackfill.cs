using Lending.Api.BusinessDates;
using Lending.Domain;
using Lending.Domain.Collections;
using Lending.Domain.Loans;
using Lending.Projections.Collections;
using Marten;

namespace Lending.Api.Collections;

/// <summary>
/// A database whose loans were assigned before the work-queue read model existed gets its rows once, at start: every
/// open loan in a collector's queue, scored as the projection would, then re-scored for the business date.
/// </summary>
public sealed class WorkQueueBackfill(IDocumentStore store, WorkQueueSchema queues, LendingPolicy policy, BusinessCalendarStore calendars,
    ILogger<WorkQueueBackfill> log) : IHostedService
{
    public async Task StartAsync(CancellationToken ct)
    {
        await store.Storage.Database.ApplyAllConfiguredChangesToDatabaseAsync();
        await using var session = store.LightweightSession();
        if ((await session.QueryAsync<bool>($"select exists (select 1 from {queues.Table})", ct)).Single()) return;
        if (!await session.Query<Loan>().AnyAsync(l => l.Collections.Assignment != null, ct)) return;

        var written = 0;
        // Pages by key (each from where the last ended), so the cost is one pass over the loans, not one per page.
        for (var after = Guid.Empty; ;)
        {
            var page = await session.QueryAsync<Loan>(
                "where id > ? and data->'collections'->'assignment' is not null order by id limit 1000", ct, after);
            if (page.Count == 0) break;
            after = page[^1].Id;
            foreach (var entry in page.Select(l => WorkQueue.Entry(l, policy.WorkQueue)).OfType<WorkQueueEntry>())
            {
                session.QueueSqlCommand(queues.Upsert, WorkQueueSchema.Parameters(entry));
                written++;
            }
        }
        session.QueueSqlCommand(queues.Rescore(policy.WorkQueue), WorkQueueSchema.RescoreParameters(await calendars.TodayAsync(session, ct)));
        await session.SaveChangesAsync(ct);
        log.LogInformation("Work queues built for {Loans} assigned loans", written);
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}
