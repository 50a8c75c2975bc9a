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
        for (var skip = 0; ; skip += 1_000)
        {
            var page = await session.Query<Loan>().Where(l => l.Collections.Assignment != null).OrderBy(l => l.Id).Skip(skip).Take(1_000).ToListAsync(ct);
            if (page.Count == 0) break;
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
