using Lending.Api.Setup;
using Lending.Projections.Analytics;
using Marten;
using Marten.Events.Daemon.Coordination;

namespace Lending.Api.Analytics;

/// <summary>
/// Rebuilds the risk analysts' figures from the whole event store by one sequential read (<see cref="AnalyticsReplay"/>)
/// rather than the daemon's pages. On a node whose daemon runs the analytics shard, the coordinator is paused (every
/// shard of this node stops, the leadership lock stays held, so no other node takes over and nothing restarts the
/// shard meanwhile), the replay runs through the high water mark, the shard's position is set there and the
/// coordinator resumes, carrying on with what came since. With every node stopped (<c>./lending rebuild-analytics</c>)
/// there is no daemon to hand over to. A replay that fails leaves the tables empty and the position at the start: the
/// daemon then rebuilds them page by page, and no half-built figure is ever served as complete.
/// </summary>
public sealed class AnalyticsRebuild(IDocumentStore store, AnalyticsSchema schema, IProjectionCoordinator coordinator,
    ILogger<AnalyticsRebuild> log)
{
    public const string Shard = PortfolioAnalyticsProjection.Name + ":All";

    public sealed record Result(long Events, long Skipped, long Through, TimeSpan Elapsed);

    /// <param name="handOver">Whether this process's daemon runs the shard (paused, then resumed from the replay's end).</param>
    public async Task<Result> RunAsync(CancellationToken ct, int flushEvery = AnalyticsReplay.FlushEvery, bool handOver = true)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        if (handOver)
        {
            if (!coordinator.DaemonForMainDatabase().CurrentAgents().Any(a => a.Name.Identity == Shard))
                throw new InvalidOperationException(
                    $"This node's daemon does not run {Shard}: rebuild on the node that does, or with every node stopped (./lending rebuild-analytics).");
            await coordinator.PauseAsync();
        }
        var replay = new AnalyticsReplay(store, schema, flushEvery);
        try
        {
            await using var session = store.LightweightSession();
            // With the daemon running, everything up to its high water mark is committed; with every node stopped, the
            // newest event is.
            var through = (await session.QueryAsync<long>(handOver
                ? $"select coalesce(max(last_seq_id), 0) from {MartenSetup.EventSchema}.mt_event_progression where name = 'HighWaterMark'"
                : $"select coalesce(max(seq_id), 0) from {MartenSetup.EventSchema}.mt_events", ct)).Single();
            var (events, skipped) = await replay.RunAsync(through, ct);
            await SetPositionAsync(through, ct);
            log.LogInformation("Analytics rebuilt from {Events} events through sequence {Through} in {Seconds:0.0} s ({Skipped} passed over)",
                events, through, watch.Elapsed.TotalSeconds, skipped);
            return new Result(events, skipped, through, watch.Elapsed);
        }
        catch (Exception failure)
        {
            log.LogError(failure, "The analytics rebuild failed: the tables are emptied and the daemon starts them again from the first event");
            await replay.WipeAsync(CancellationToken.None);
            await SetPositionAsync(0, CancellationToken.None);
            throw;
        }
        finally
        {
            if (handOver) await coordinator.ResumeAsync();
        }
    }

    private async Task SetPositionAsync(long sequence, CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        session.QueueSqlCommand(
            $"insert into {MartenSetup.EventSchema}.mt_event_progression (name, last_seq_id, last_updated) values (?, ?, now()) " +
            "on conflict (name) do update set last_seq_id = excluded.last_seq_id, last_updated = excluded.last_updated", Shard, sequence);
        await session.SaveChangesAsync(ct);
    }
}
