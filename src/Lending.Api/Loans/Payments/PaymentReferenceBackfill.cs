using Lending.Api.Setup;
using Lending.Projections.Loans;
using Marten;

namespace Lending.Api.Loans.Payments;

/// <summary>How far the payment references were written from the event store (one document).</summary>
public sealed class PaymentReferenceBackfillProgress
{
    public string Id { get; set; } = "payment-references";
    /// <summary>The last event sequence number whose payment has its row.</summary>
    public long Through { get; set; }
    /// <summary>The newest event when the backfill began: past it, every payment wrote its own row.</summary>
    public long Until { get; set; }
}

/// <summary>
/// A database whose payments were booked before the payment references were kept gets their rows from the event store,
/// in the background after start (a big store takes minutes: start and requests do not wait), in ranges of event
/// sequence numbers, each committed with the progress, so a restart carries on where it stopped. Until a payment has
/// its row, a replay of it is answered from the loan's stream.
/// </summary>
public sealed class PaymentReferenceBackfill(IDocumentStore store, PaymentReferences references, ILogger<PaymentReferenceBackfill> log)
    : BackgroundService
{
    public const int Range = 250_000;

    protected override async Task ExecuteAsync(CancellationToken ct)
    {
        try
        {
            await RunAsync(ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            // Not fatal: replays fall back to the streams, and the next start carries on.
            log.LogError(e, "Writing payment references for earlier payments stopped");
        }
    }

    public async Task RunAsync(CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        var progress = await session.LoadAsync<PaymentReferenceBackfillProgress>("payment-references", ct);
        if (progress is null)
        {
            var newest = (await session.QueryAsync<long>($"select coalesce(max(seq_id), 0) from {MartenSetup.EventSchema}.mt_events", ct)).Single();
            // The first payment ever booked has its row: the table was there from the start, and so every later payment has
            // its row too (a database created by this version, a book generated before the API first started).
            var firstHasRow = (await session.QueryAsync<bool>(
                $"select coalesce((select exists (select 1 from {references.Table} r where r.loan_id = e.stream_id and r.reference = e.data->>'reference') " +
                $"from {MartenSetup.EventSchema}.mt_events e where e.type = 'payment_received' order by e.seq_id limit 1), true)", ct)).Single();
            session.Store(progress = new PaymentReferenceBackfillProgress { Through = firstHasRow ? newest : 0, Until = newest });
            await session.SaveChangesAsync(ct);
        }
        if (progress.Through >= progress.Until) return;
        while (progress.Through < progress.Until)
        {
            var to = Math.Min(progress.Until, progress.Through + Range);
            session.QueueSqlCommand(references.Backfill, progress.Through, to);
            progress.Through = to;
            session.Store(progress);
            await session.SaveChangesAsync(ct);
        }
        log.LogInformation("Payment references written for earlier payments through event {Sequence}", progress.Through);
    }
}
