using Lending.Api.Escalation;
using Lending.Api.Setup;
using Lending.Domain.CloseOfBusiness;
using Lending.Domain.Escalation;
using Lending.Domain.Loans;
using Lending.Domain.Loans.Delinquency;
using Lending.Domain.Products;
using Lending.Projections.Loans;
using Marten;
using Microsoft.Extensions.Options;
using Wolverine.Marten;
using Wolverine.Runtime;

namespace Lending.Api.BusinessDates;

/// <summary>
/// Closes one batch of loans for a business date on all cores: the batch is split by loan into
/// <see cref="LendingOptions.CloseOfBusinessOptions.Parallelism"/> parts, each closed in its own transaction with its
/// escalation actions in the same transaction's outbox, as one <see cref="CarryOutEscalations"/> message. A part's loans
/// are written with a few set-based statements (<see cref="LoanBatchWrite"/>), every append checked against the version
/// its loan was read at, so a payment committed meanwhile fails that part's save; the part is then
/// saved again without that loan (its other loans' decisions still hold, unread), and the loan is closed again alone on
/// its fresh state. Closing a loan for a date is idempotent (<see cref="LoanCloseOfBusiness"/> returns nothing the second
/// time), so a batch redelivered after a crash between its parts' commits and the run's progress does nothing twice.
/// </summary>
public sealed class CloseOfBusinessBatch(IDocumentStore store, IWolverineRuntime runtime, BucketPolicy buckets, EscalationLadder ladder,
    Lending.Domain.LendingPolicy policy, IOptions<LendingOptions> options, ILogger<CloseOfBusinessBatch> logger)
{
    /// <summary>Closes the loans for <paramref name="date"/>; returns how many loans had to be closed alone after a conflict.</summary>
    /// <param name="correlationId">The run's correlation, carried by every part's events and messages.</param>
    /// <param name="causationId">The batch message that caused the parts.</param>
    public async Task<int> CloseAsync(IReadOnlyList<Guid> loanIds, DateOnly date, CancellationToken ct, string? correlationId = null,
        string? causationId = null)
    {
        var parallelism = Math.Clamp(options.Value.CloseOfBusiness.Parallelism, 1, 64);
        var parts = loanIds.Chunk(Math.Max(1, (loanIds.Count + parallelism - 1) / parallelism)).ToList();
        var ladders = await Ladders(ct);
        var retried = 0;
        await Parallel.ForEachAsync(parts, new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = ct },
            async (part, token) => Interlocked.Add(ref retried, await ClosePart(part, date, ladders, (correlationId, causationId), token)));
        return retried;
    }

    private async Task<int> ClosePart(IReadOnlyList<Guid> ids, DateOnly date, IReadOnlyDictionary<string, EscalationLadder> ladders,
        (string? Correlation, string? Causation) cause, CancellationToken ct)
    {
        // Each loan as read (never changed: closing folds onto copies) with what closing it decided.
        List<(Loan Before, LoanDayClosed Closed)>? decided = null;
        var alone = new List<Guid>();
        var attempts = 0;
        while (true)
        {
            await using var session = store.LightweightSession();
            session.CorrelationId = cause.Correlation;
            session.CausationId = cause.Causation;
            var outbox = new MartenOutbox(runtime, session) { CorrelationId = cause.Correlation };
            decided ??= [.. (await session.LoadManyAsync<Loan>(ct, alone.Count == 0 ? ids : [.. ids.Except(alone)])).Select(loan =>
                (loan, CloseOfBusinessDay.Close(loan, date, buckets, ladders.GetValueOrDefault(loan.ProductCode, ladder), policy)))];

            // The part's loans in one version-checked append and one write per table: a payment committed since the read
            // fails the save instead of being overwritten.
            var writes = decided.Where(d => d.Closed.Events.Count > 0).Select(d => new LoanWrite(d.Before, d.Closed.Events, d.Closed.Loan)).ToList();
            if (writes.Count > 0) session.QueueOperation(MartenSetup.WriteLoans(writes, policy.WorkQueue));
            // The part's stage actions leave through the outbox in this same transaction, as one message: never lost, never
            // without their stages.
            var actions = decided.SelectMany(d => d.Closed.Actions.Select(a => CarryOutEscalation.For(d.Before.Id, a))).ToList();
            if (actions.Count > 0) await outbox.SendAsync(new CarryOutEscalations(actions));
            try
            {
                await session.SaveChangesAsync(ct);
                break;
            }
            catch (JasperFx.ConcurrencyException) when (decided.Count == 1 && ++attempts < 3)
            {
                decided = null; // the one loan again, read afresh
            }
            catch (JasperFx.ConcurrencyException) when (decided.Count > 1)
            {
                // Only the loans that moved are read again: those whose stream is past the version read, found with one query
                // (many moved loans cost one more save, not one each).
                var moved = (await MovedSince(decided.Select(d => (d.Before.Id, d.Before.Version)).ToList(), ct)).ToList();
                if (moved.Count == 0) moved = [.. decided.Select(d => d.Before.Id)];
                logger.LogDebug("Close of business {Date}: {Loans} loan(s) changed meanwhile; closing them on their own", date, moved.Count);
                alone.AddRange(moved);
                decided.RemoveAll(d => moved.Contains(d.Before.Id));
                if (decided.Count == 0) break;
            }
        }
        foreach (var id in alone) await ClosePart([id], date, ladders, cause, ct);
        return alone.Count;
    }

    /// <summary>The loans whose streams moved past the version they were read at.</summary>
    private async Task<IReadOnlyList<Guid>> MovedSince(IReadOnlyList<(Guid Id, long Version)> read, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var now = await session.AdvancedSql.QueryAsync<string>(
            $"select json_build_object('id', id, 'version', version)::text from {MartenSetup.EventSchema}.mt_streams where id = any(?)", ct,
            read.Select(r => r.Id).ToArray());
        var versions = now.Select(j => System.Text.Json.JsonDocument.Parse(j).RootElement)
            .ToDictionary(e => e.GetProperty("id").GetGuid(), e => e.GetProperty("version").GetInt64());
        return [.. read.Where(r => versions.GetValueOrDefault(r.Id) != r.Version).Select(r => r.Id)];
    }

    private async Task<IReadOnlyDictionary<string, EscalationLadder>> Ladders(CancellationToken ct)
    {
        await using var session = store.QuerySession();
        return (await session.Query<Product>().ToListAsync(ct)).ToDictionary(p => p.Code, p => p.Ladder ?? ladder);
    }
}
