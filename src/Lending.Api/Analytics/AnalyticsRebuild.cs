using Lending.Api.Setup;
using Lending.Projections.Analytics;
using Marten;
using Marten.Events.Daemon.Coordination;

namespace Lending.Api.Analytics;

/// <summary>
/// Rebuilds the risk analysts' figures from the whole event store by one sequential read (<see cref="AnalyticsReplay"/>)
/// rather than the daemon's pages. This node's daemon stops the projection's shard, the replay runs through the high
/// water mark, the shard's position is set there and the shard starts again, carrying on with what came since. Run it
/// where the daemon runs (HotCold: the one node holding it, or with one node up), or with every node stopped
/// (<c>./lending rebuild-analytics</c>, no daemon to hand over to).
/// </summary>
public sealed class AnalyticsRebuild(IDocumentStore store, AnalyticsSchema schema, IProjectionCoordinator coordinator,
    ILogger<AnalyticsRebuild> log)
{
    public const string Shard = PortfolioAnalyticsProjection.Name + ":All";

    public sealed record Result(long Events, long Through, TimeSpan Elapsed);

    /// <param name="handOver">Whether this process's daemon runs the shard (stopped, then started again from the replay's end).</param>
    public async Task<Result> RunAsync(CancellationToken ct, int flushEvery = AnalyticsReplay.FlushEvery, bool handOver = true)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var daemon = handOver ? coordinator.DaemonForMainDatabase() : null;
        if (daemon is not null) await daemon.StopAgentAsync(Shard);
        try
        {
            await using var session = store.LightweightSession();
            // With the daemon running, everything up to its high water mark is committed (no sequence gap below it is still
            // in flight); with every node stopped, the newest event is.
            var through = (await session.QueryAsync<long>(daemon is not null
                ? $"select coalesce(max(last_seq_id), 0) from {MartenSetup.EventSchema}.mt_event_progression where name = 'HighWaterMark'"
                : $"select coalesce(max(seq_id), 0) from {MartenSetup.EventSchema}.mt_events", ct)).Single();
            var events = await new AnalyticsReplay(store, schema, flushEvery).RunAsync(through, ct);
            session.QueueSqlCommand(
                $"insert into {MartenSetup.EventSchema}.mt_event_progression (name, last_seq_id, last_updated) values (?, ?, now()) " +
                "on conflict (name) do update set last_seq_id = excluded.last_seq_id, last_updated = excluded.last_updated", Shard, through);
            await session.SaveChangesAsync(ct);
            log.LogInformation("Analytics rebuilt from {Events} events through sequence {Through} in {Seconds:0.0} s", events, through,
                watch.Elapsed.TotalSeconds);
            return new Result(events, through, watch.Elapsed);
        }
        finally
        {
            if (daemon is not null) await daemon.StartAgentAsync(Shard, CancellationToken.None);
        }
    }
}
