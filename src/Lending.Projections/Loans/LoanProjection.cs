using JasperFx.Events;
using Lending.Domain;
using Lending.Domain.Collections;
using Lending.Domain.Escalation;
using Lending.Domain.Loans;
using Lending.Domain.Restructuring;
using Lending.Projections.Collections;
using Marten;
using Marten.Events.Aggregation;

namespace Lending.Projections.Loans;

/// <summary>
/// The loan document read by <c>GET /loans/{id}</c>, kept inline so a command's answer reads its own writes.
/// Delegates to the domain's <see cref="Loan.Evolve"/>, keeping the domain free of Marten. In the same transaction it
/// keeps the loan's row of its collector's work queue (<see cref="WorkQueueSchema"/>) and its payment references
/// (<see cref="PaymentReferences"/>).
/// </summary>
public partial class LoanProjection(WorkQueueSchema queue, WorkQueueWeights weights, PaymentReferences references)
    : SingleStreamProjection<Loan, Guid>
{
    // A loan's evidence-access stream holds only pulls: it is not a loan and has no document.
    public override Loan? Evolve(Loan? snapshot, Guid id, IEvent e) =>
        e.Data is Lending.Domain.Litigation.EvidenceBundlePulled ? snapshot : Loan.Evolve(snapshot, e.Data);

    public override ValueTask RaiseSideEffects(IDocumentOperations operations, JasperFx.Events.IEventSlice<Loan> slice)
    {
        if (slice.Snapshot is not { } loan) return ValueTask.CompletedTask;
        foreach (var e in slice.Events())
            if (e.Data is PaymentReceived p)
                operations.QueueSqlCommand(references.Insert, p.LoanId, p.Reference, p.Amount, e.Id);
        if (WorkQueue.Entry(loan, weights) is { } entry)
            operations.QueueSqlCommand(queue.Upsert, WorkQueueSchema.Parameters(entry));
        else if (LeavesQueue(slice.Events().Select(e => e.Data)))
            operations.QueueSqlCommand(queue.Delete, loan.Id);
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Whether a loan without a row after these events may have had one before: a row goes only when the loan leaves its
    /// collector's queue (reassigned elsewhere, unassigned or closed).
    /// </summary>
    public static bool LeavesQueue(IEnumerable<object> events) =>
        events.Any(e => e is LoanAssigned or AssignmentEnded or LoanPaidOff or LoanSettled or LoanWrittenOff);
}
