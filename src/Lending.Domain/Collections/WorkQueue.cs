using Lending.Domain.Loans;
using Lending.Domain.Loans.Delinquency;

namespace Lending.Domain.Collections;

public sealed record WorkQueueItem(
    Guid LoanId, string BorrowerName, int Dpd, DelinquencyBucket Bucket, decimal TotalOutstanding, string Currency,
    DateOnly? PromiseDueOn, int BrokenPromises, DateTimeOffset? LastContactAt, int Priority);

/// <summary>
/// A loan's place in its collector's queue as the read model stores it: the priority's inputs as of
/// <see cref="ScoredOn"/> (the loan's last business date), and the priority they give then. <see cref="DpdRunning"/>: the
/// DPD grows by a day each day until the loan's next event (past due, not paused), which is how a new business date
/// re-scores the loans it did not touch.
/// </summary>
public sealed record WorkQueueEntry(
    Guid LoanId, string AssigneeId, string BorrowerName, string Currency, DelinquencyBucket Bucket, int Dpd, bool DpdRunning,
    decimal TotalOutstanding, DateOnly? PromiseDueOn, int BrokenPromises, DateTimeOffset? LastContactAt, DateOnly ScoredOn, int Priority);

/// <summary>
/// A collector's work queue, highest priority first, by an additive score whose weights are policy
/// (<see cref="WorkQueueWeights"/>): days past due, balance, broken promises, a promise due today, contact recency.
/// </summary>
public static class WorkQueue
{
    public static WorkQueueItem Item(Loan loan, DateOnly today, WorkQueueWeights? weights = null)
    {
        var w = weights ?? LendingPolicy.Default.WorkQueue;
        var position = LoanPosition.Of(loan, today);
        var c = loan.Collections;
        var lastContact = c.Contacts.Count == 0 ? (DateTimeOffset?)null : c.Contacts.Max(x => x.OccurredAt);
        var priority = Math.Min(w.PerDayPastDue * position.Dpd, w.MaxDayPoints)
            + (int)Math.Min(w.PerThousandOutstanding * Math.Floor(position.TotalOutstanding / 1_000m), w.MaxBalancePoints)
            + w.PerBrokenPromise * c.BrokenPromises
            + (c.OpenPromise?.DueOn == today ? w.PromiseDueToday : 0)
            + (lastContact is null ? w.NeverContacted
                : DateOnly.FromDateTime(lastContact.Value.UtcDateTime) < today.AddDays(-w.RecentContactDays) ? w.NotContactedRecently : 0);
        return new WorkQueueItem(loan.Id, loan.Borrower.Name, position.Dpd, loan.Bucket, position.TotalOutstanding, loan.Currency,
            c.OpenPromise?.DueOn, c.BrokenPromises, lastContact, priority);
    }

    /// <summary>The loan's queue entry; null when it is in no collector's queue (unassigned, with an agency or mediator, or closed).</summary>
    public static WorkQueueEntry? Entry(Loan loan, WorkQueueWeights? weights = null)
    {
        if (loan.IsClosed || loan.Collections.Assignment is not { Kind: AssigneeKind.Collector } a) return null;
        var date = loan.LastBusinessDate;
        var i = Item(loan, date, weights);
        return new WorkQueueEntry(loan.Id, a.AssigneeId, i.BorrowerName, i.Currency, i.Bucket, i.Dpd, i.Dpd > 0 && !loan.IsPaused,
            i.TotalOutstanding, i.PromiseDueOn, i.BrokenPromises, i.LastContactAt, date, i.Priority);
    }

    /// <summary>
    /// <see cref="Item"/>'s score as a SQL expression over the stored inputs, for re-scoring a whole queue in one statement:
    /// <paramref name="dpd"/> and <paramref name="today"/> are SQL expressions (the DPD on the day, the day). The weights are
    /// integers from policy. Tests hold it equal to <see cref="Item"/>.
    /// </summary>
    public static string PrioritySql(WorkQueueWeights w, string dpd, string today) =>
        $"least({w.PerDayPastDue} * ({dpd}), {w.MaxDayPoints})"
        + $" + least({w.PerThousandOutstanding} * floor(total_outstanding / 1000), {w.MaxBalancePoints})::int"
        + $" + {w.PerBrokenPromise} * broken_promises"
        + $" + case when promise_due_on = {today} then {w.PromiseDueToday} else 0 end"
        + $" + case when last_contact_at is null then {w.NeverContacted}"
        + $" when (last_contact_at at time zone 'UTC')::date < {today} - {w.RecentContactDays} then {w.NotContactedRecently} else 0 end";

    public static IReadOnlyList<WorkQueueItem> Order(IEnumerable<Loan> loans, DateOnly today, WorkQueueWeights? weights = null) =>
        loans.Where(l => !l.IsClosed).Select(l => Item(l, today, weights))
            .OrderByDescending(i => i.Priority).ThenByDescending(i => i.Dpd).ThenBy(i => i.LoanId).ToList();
}
