using Lending.Api.Setup;
using Lending.Projections.Analytics;
using Marten;

namespace Lending.Api.Analytics;

/// <summary>
/// Rebuilds the risk analysts' figures from the whole event store by one sequential read (<see cref="AnalyticsReplay"/>)
/// rather than the daemon's pages, with every API node stopped (<c>./lending rebuild-analytics</c>): no daemon may project
/// meanwhile. The replay runs through the newest event and the shard's position is set there, so the nodes' daemons carry
/// on from it when they start. A replay that fails leaves the tables empty and the position at the start: the daemon then
/// rebuilds them page by page, and no half-built figure is ever served as complete.
/// </summary>
public sealed class AnalyticsRebuild(IDocumentStore store, AnalyticsSchema schema, ILogger<AnalyticsRebuild> log)
{
    public const string Shard = PortfolioAnalyticsProjection.Name + ":All";

    public sealed record Result(long Events, long Skipped, long Through, TimeSpan Elapsed);

    public async Task<Result> RunAsync(CancellationToken ct, int flushEvery = AnalyticsReplay.FlushEvery)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var replay = new AnalyticsReplay(store, schema, flushEvery);
        try
        {
            await using var session = store.LightweightSession();
            // With every node stopped, every event is committed: nothing can still fill a gap below the newest.
            var through = (await session.QueryAsync<long>($"select coalesce(max(seq_id), 0) from {MartenSetup.EventSchema}.mt_events", ct)).Single();
            var (events, skipped, folding) = await replay.RunAsync(through, ct);
            await SetPositionAsync(through, ct);
            log.LogInformation("Analytics rebuilt from {Events} events through sequence {Through} in {Seconds:0.0} s ({Skipped} passed over): " +
                "read and folded in {FoldSeconds:0.0} s, the rest (the wipe, the loans' rows, the position) in {RowSeconds:0.0} s",
                events, through, watch.Elapsed.TotalSeconds, skipped, folding.TotalSeconds, (watch.Elapsed - folding).TotalSeconds);
            return new Result(events, skipped, through, watch.Elapsed);
        }
        catch (Exception failure)
        {
            log.LogError(failure, "The analytics rebuild failed: the tables are emptied and the daemon starts them again from the first event");
            await replay.WipeAsync(CancellationToken.None);
            await SetPositionAsync(0, CancellationToken.None);
            throw;
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
