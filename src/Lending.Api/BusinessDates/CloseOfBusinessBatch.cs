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
/// escalation actions in the same transaction's outbox. Every append names the version its loan was read at, so a
/// payment committed meanwhile fails that part's save; the part is then saved again without that loan (its other loans'
/// decisions still hold, unread), and the loan is closed again alone on its fresh state. Closing a loan for a date is
/// idempotent (<see cref="LoanCloseOfBusiness"/> returns nothing the second time), so a batch redelivered after a crash
/// between its parts' commits and the run's progress does nothing twice.
/// </summary>
public sealed class CloseOfBusinessBatch(IDocumentStore store, IWolverineRuntime runtime, BucketPolicy buckets, EscalationLadder ladder,
    Lending.Domain.LendingPolicy policy, IOptions<LendingOptions> options, ILogger<CloseOfBusinessBatch> logger)
{
    /// <summary>Closes the loans for <paramref name="date"/>; returns how many loans had to be closed alone after a conflict.</summary>
    public async Task<int> CloseAsync(IReadOnlyList<Guid> loanIds, DateOnly date, CancellationToken ct)
    {
        var parallelism = Math.Clamp(options.Value.CloseOfBusiness.Parallelism, 1, 64);
        var parts = loanIds.Chunk(Math.Max(1, (loanIds.Count + parallelism - 1) / parallelism)).ToList();
        var ladders = await Ladders(ct);
        var retried = 0;
        await Parallel.ForEachAsync(parts, new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = ct },
            async (part, token) => Interlocked.Add(ref retried, await ClosePart(part, date, ladders, token)));
        return retried;
    }

    private async Task<int> ClosePart(IReadOnlyList<Guid> ids, DateOnly date, IReadOnlyDictionary<string, EscalationLadder> ladders,
        CancellationToken ct)
    {
        // Each loan with the version it was read at: a failed save's projection may have stamped a newer one on the instance.
        List<(Loan Before, long Version, LoanDayClosed Closed)>? decided = null;
        var alone = new List<Guid>();
        var attempts = 0;
        while (true)
        {
            await using var session = store.LightweightSession();
            var outbox = new MartenOutbox(runtime, session);
            if (decided is null)
                decided = [.. (await LoansForWriting.LoadAsync(session, alone.Count == 0 ? ids : [.. ids.Except(alone)], ct)).Select(loan =>
                    (loan, loan.Version, CloseOfBusinessDay.Close(loan, date, buckets, ladders.GetValueOrDefault(loan.ProductCode, ladder), policy)))];
            else LoansForWriting.Hold(session, decided.Select(d => d.Before));

            foreach (var (loan, version, closed) in decided)
            {
                // Expected version: a payment committed since the read fails the save instead of being overwritten.
                if (closed.Events.Count > 0) session.Events.Append(loan.Id, version + closed.Events.Count, [.. closed.Events]);
                // Each stage's action leaves through the outbox in this same transaction: never lost, never without its stage.
                foreach (var action in closed.Actions) await outbox.SendAsync(CarryOutEscalation.For(loan.Id, action));
            }
            try
            {
                await session.SaveChangesAsync(ct);
                break;
            }
            catch (JasperFx.ConcurrencyException) when (decided.Count == 1 && ++attempts < 3)
            {
                decided = null; // the one loan again, read afresh
            }
            catch (JasperFx.ConcurrencyException conflict) when (decided.Count > 1)
            {
                // Only the loan that moved is read again; without its id, each loan of the part is closed on its own.
                var moved = conflict.Id is Guid id && decided.Any(d => d.Before.Id == id) ? [id] : decided.Select(d => d.Before.Id).ToList();
                logger.LogDebug("Close of business {Date}: {Loans} loan(s) changed meanwhile; closing them on their own", date, moved.Count);
                alone.AddRange(moved);
                decided.RemoveAll(d => moved.Contains(d.Before.Id));
                if (decided.Count == 0) break;
            }
        }
        foreach (var id in alone) await ClosePart([id], date, ladders, ct);
        return alone.Count;
    }

    private async Task<IReadOnlyDictionary<string, EscalationLadder>> Ladders(CancellationToken ct)
    {
        await using var session = store.QuerySession();
        return (await session.Query<Product>().ToListAsync(ct)).ToDictionary(p => p.Code, p => p.Ladder ?? ladder);
    }
}
