using System.Data;
using Lending.Domain.Loans;
using Marten;
using Npgsql;

namespace Lending.Projections.Analytics;

/// <summary>
/// The analytics projection rebuilt by one sequential read of the event table, instead of the daemon's pages: events
/// in sequence order (the order the daemon applies them), every loan's analytics state held in memory for the whole
/// read, the summed figure changes written every <see cref="FlushEvery"/> events, and each loan's row written once, at
/// the end, by COPY. The fold is the daemon's own (<see cref="LoanAnalyticsFold"/>), so the figures are the same.
/// The caller stops the daemon's shard first and hands it on from <c>through</c> afterwards.
/// </summary>
public sealed class AnalyticsReplay(IDocumentStore store, AnalyticsSchema schema, int flushEvery = AnalyticsReplay.FlushEvery)
{
    /// <summary>Events between two writes of the summed changes: memory for the sums, not for the loans.</summary>
    public const int FlushEvery = 500_000;

    /// <summary>Empties every analytics table and the loans' analytics rows.</summary>
    public async Task WipeAsync(CancellationToken ct)
    {
        await using var wipe = store.LightweightSession();
        wipe.QueueSqlCommand($"truncate {string.Join(", ", schema.Tables.Append(schema.LoanStates))}");
        await wipe.SaveChangesAsync(ct);
    }

    /// <summary>
    /// Wipes the analytics and replays every event up to sequence <paramref name="through"/>; returns the events read and
    /// those passed over, as the daemon passes them over (an unknown type, data that no longer reads).
    /// </summary>
    public async Task<(long Read, long Skipped)> RunAsync(long through, CancellationToken ct)
    {
        await WipeAsync(ct);

        var serializer = store.Options.Serializer();
        var types = new Dictionary<string, Type?>();
        var loans = new Dictionary<Guid, LoanAnalytics>();
        var changes = new AnalyticsChanges();
        long read = 0, skipped = 0;
        await using (var conn = store.Storage.Database.CreateConnection())
        {
            await conn.OpenAsync(ct);
            await using var cmd = new NpgsqlCommand(
                $"select seq_id, stream_id, mt_dotnet_type, data from {store.Options.Events.DatabaseSchemaName}.mt_events " +
                "where seq_id <= $1 order by seq_id", conn) { CommandTimeout = 0, Parameters = { new() { Value = through } } };
            await using var reader = await cmd.ExecuteReaderAsync(CommandBehavior.SequentialAccess, ct);
            while (await reader.ReadAsync(ct))
            {
                read++;
                var (seq, streamId) = (reader.GetInt64(0), reader.GetGuid(1));
                var typeName = reader.IsDBNull(2) ? null : reader.GetString(2);
                if (typeName is null || (types.TryGetValue(typeName, out var type) ? type : types[typeName] = Type.GetType(typeName)) is not { } known)
                {
                    skipped++;
                    continue;
                }
                object data;
                try
                {
                    using var json = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(reader.GetString(3)));
                    data = serializer.FromJson(known, json);
                }
                catch (System.Text.Json.JsonException)
                {
                    skipped++;
                    continue;
                }
                if (data is not ILoanEvent e) continue;

                var analytics = loans.GetValueOrDefault(streamId);
                Func<DateOnly, Loan?>? asOfBefore = null;
                if (analytics is not null && e.BusinessDate < analytics.LastDate)
                {
                    // Rare (booked for a date after events of the next), as in the daemon: the loan's events before this one.
                    await using var session = store.QuerySession();
                    var earlier = (await session.Events.FetchStreamAsync(streamId, token: ct)).Where(h => h.Sequence < seq).Select(h => h.Data).ToList();
                    asOfBefore = day => Loan.AsOf(earlier, day);
                }
                loans[streamId] = LoanAnalyticsFold.Apply(analytics, e, changes, asOfBefore);

                if (read % flushEvery == 0)
                {
                    await WriteAsync(changes, ct);
                    changes = new AnalyticsChanges();
                }
            }
        }
        await WriteAsync(changes, ct);
        // The table was emptied above: plain inserts (the default mode), by COPY.
        await store.BulkInsertAsync(loans.Values.ToList(), batchSize: 5_000, cancellation: ct);
        return (read, skipped);
    }

    private async Task WriteAsync(AnalyticsChanges changes, CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        PortfolioAnalyticsProjection.Write(schema, session, changes);
        await session.SaveChangesAsync(ct);
    }
}
