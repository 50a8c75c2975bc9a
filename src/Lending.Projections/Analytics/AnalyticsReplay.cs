using System.Data;
using System.Threading.Channels;
using Lending.Domain.Loans;
using Marten;
using Npgsql;

namespace Lending.Projections.Analytics;

/// <summary>
/// The analytics projection rebuilt by one sequential read of the event table, instead of the daemon's pages: each
/// loan's events in sequence order (the order the daemon applies them), folded on every core, every loan's analytics
/// state held in memory for the whole read, the summed figure changes written every <see cref="FlushEvery"/> events, and
/// each loan's row written once, at the end, by COPY. The fold is the daemon's own (<see cref="LoanAnalyticsFold"/>), so
/// the figures are the same.
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
    /// those passed over, as the daemon passes them over (an unknown type, data that no longer reads), and how long the
    /// read and the folds took before the loans' rows were written.
    /// </summary>
    /// <remarks>
    /// One reader streams the table in sequence order and hands each event to the fold that owns its loan (loans split by
    /// id over <see cref="Folds"/> folds, one a core): a loan's events stay in order, and what the folds add up is the same
    /// whichever fold counted it, since the changes are sums. Every <see cref="FlushEvery"/> events the reader sends each
    /// fold a mark; the changes the folds hand over at that mark are written together, in order, while reading goes on.
    /// </remarks>
    public async Task<(long Read, long Skipped, TimeSpan Folding)> RunAsync(long through, CancellationToken ct)
    {
        await WipeAsync(ct);
        var watch = System.Diagnostics.Stopwatch.StartNew();

        // A fold or a write that fails cancels the rest (the reader would otherwise wait on a fold that no longer reads).
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var serializer = store.Options.Serializer(); // thread-safe, shared by the folds
        var folds = Enumerable.Range(0, Folds).Select(_ => new Fold(store, serializer, failed)).ToArray();
        var running = folds.Select(f => Task.Run(f.RunAsync, CancellationToken.None)).ToArray();
        var writing = Task.CompletedTask;
        long read = 0, skipped = 0;
        try
        {
            var types = new Dictionary<string, Type?>();
            await using var conn = store.Storage.Database.CreateConnection();
            await conn.OpenAsync(ct);
            await using var cmd = new NpgsqlCommand(
                $"select seq_id, stream_id, mt_dotnet_type, data from {store.Options.Events.DatabaseSchemaName}.mt_events " +
                "where seq_id <= $1 order by seq_id", conn) { CommandTimeout = 0, Parameters = { new() { Value = through } } };
            await using var reader = await cmd.ExecuteReaderAsync(CommandBehavior.SequentialAccess, failed.Token);
            while (await reader.ReadAsync(failed.Token))
            {
                read++;
                var (seq, streamId) = (reader.GetInt64(0), reader.GetGuid(1));
                var typeName = reader.IsDBNull(2) ? null : reader.GetString(2);
                if (typeName is null || (types.TryGetValue(typeName, out var type) ? type : types[typeName] = Type.GetType(typeName)) is not { } known)
                    skipped++;
                else
                    await folds[(int)((uint)streamId.GetHashCode() % (uint)folds.Length)].Events.Writer
                        .WriteAsync(new Item(seq, streamId, known, reader.GetString(3)), failed.Token);

                if (read % flushEvery == 0)
                {
                    var marks = new List<Task<AnalyticsChanges>>(folds.Length);
                    foreach (var fold in folds) marks.Add(await fold.MarkAsync(failed.Token));
                    // One stretch written at a time (the writes carry rows forward) and at most one held in memory.
                    await writing;
                    writing = Flush(marks, failed);
                }
            }
            foreach (var fold in folds) fold.Events.Writer.Complete();
            await Task.WhenAll(running);
            await writing;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            // Cancelled by a fold or a write that failed: its failure is the one to report.
            await Task.WhenAll(running.Append(writing));
            throw;
        }
        finally
        {
            // Nothing of the replay runs on after it returns or fails (the caller wipes the tables after a failure).
            await failed.CancelAsync();
            try { await Task.WhenAll(running.Append(writing)); } catch { /* observed above, or a consequence of the failure reported */ }
        }

        var last = new AnalyticsChanges();
        foreach (var fold in folds) last.Add(fold.Changes);
        await WriteAsync(last, ct);
        var folding = watch.Elapsed;
        // The table was emptied above: plain inserts (the default mode), by COPY, each fold's loans on their own connection.
        await Task.WhenAll(folds.Select(f => store.BulkInsertAsync(f.Loans.Values.ToList(), batchSize: 5_000, cancellation: ct)));
        return (read, skipped + folds.Sum(f => f.Skipped), folding);
    }

    /// <summary>Folds, one a core: the reader and PostgreSQL's backend take little of a core between them.</summary>
    private static int Folds => Math.Clamp(Environment.ProcessorCount, 1, 8);

    /// <summary>
    /// The changes every fold counted before its mark, summed and written. Where a stretch ends does not change the
    /// figures (each row is the sum of the changes up to its date), only how many are held in memory.
    /// </summary>
    private async Task Flush(List<Task<AnalyticsChanges>> marks, CancellationTokenSource failed)
    {
        try
        {
            var changes = new AnalyticsChanges();
            foreach (var mark in marks) changes.Add(await mark.WaitAsync(failed.Token));
            await WriteAsync(changes, failed.Token);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await failed.CancelAsync();
            throw;
        }
    }

    private sealed record Item(long Seq, Guid StreamId, Type? Type, string? Json, TaskCompletionSource<AnalyticsChanges>? Mark = null);

    /// <summary>One fold: the loans it owns, in memory for the whole replay, and the changes counted since its last mark.</summary>
    private sealed class Fold(IDocumentStore store, Marten.ISerializer serializer, CancellationTokenSource failed)
    {
        public Channel<Item> Events { get; } = Channel.CreateBounded<Item>(new BoundedChannelOptions(4_096) { SingleReader = true, SingleWriter = true });
        public Dictionary<Guid, LoanAnalytics> Loans { get; } = [];
        public AnalyticsChanges Changes { get; private set; } = new();
        public long Skipped { get; private set; }

        /// <summary>Queues a mark after the events queued so far; the task gives the changes counted up to it.</summary>
        public async Task<Task<AnalyticsChanges>> MarkAsync(CancellationToken ct)
        {
            var mark = new TaskCompletionSource<AnalyticsChanges>(TaskCreationOptions.RunContinuationsAsynchronously);
            await Events.Writer.WriteAsync(new Item(0, Guid.Empty, null, null, mark), ct);
            return mark.Task;
        }

        public async Task RunAsync()
        {
            try
            {
                await foreach (var item in Events.Reader.ReadAllAsync(failed.Token))
                {
                    if (item.Mark is { } mark)
                    {
                        mark.SetResult(Changes);
                        Changes = new AnalyticsChanges();
                    }
                    else await FoldAsync(item);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                await failed.CancelAsync();
                throw;
            }
        }

        private async Task FoldAsync(Item item)
        {
            object data;
            try
            {
                data = serializer.FromJson(item.Type!, new MemoryStream(System.Text.Encoding.UTF8.GetBytes(item.Json!)));
            }
            catch (System.Text.Json.JsonException)
            {
                Skipped++;
                return;
            }
            if (data is not ILoanEvent e) return;

            var analytics = Loans.GetValueOrDefault(item.StreamId);
            Func<DateOnly, Loan?>? asOfBefore = null;
            if (analytics is not null && e.BusinessDate < analytics.LastDate)
            {
                // Rare (booked for a date after events of the next), as in the daemon: the loan's events before this one.
                await using var session = store.QuerySession();
                var earlier = (await session.Events.FetchStreamAsync(item.StreamId, token: failed.Token)).Where(h => h.Sequence < item.Seq)
                    .Select(h => h.Data).ToList();
                asOfBefore = day => Loan.AsOf(earlier, day);
            }
            Loans[item.StreamId] = LoanAnalyticsFold.Apply(analytics, e, Changes, asOfBefore);
        }
    }

    private async Task WriteAsync(AnalyticsChanges changes, CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        PortfolioAnalyticsProjection.Write(schema, session, changes);
        await session.SaveChangesAsync(ct);
    }
}
