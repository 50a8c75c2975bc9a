using Lending.Domain.Loans;
using Lending.Domain.Loans.Delinquency;

namespace Lending.Domain.Collections;

public sealed record WorkQueueItem(
    Guid LoanId, string BorrowerName, int Dpd, DelinquencyBucket Bucket, decimal TotalOutstanding, string Currency,
    DateOnly? PromiseDueOn, int BrokenPromises, DateTimeOffset? LastContactAt, int Priority);

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

    public static IReadOnlyList<WorkQueueItem> Order(IEnumerable<Loan> loans, DateOnly today, WorkQueueWeights? weights = null) =>
        loans.Where(l => !l.IsClosed).Select(l => Item(l, today, weights))
            .OrderByDescending(i => i.Priority).ThenByDescending(i => i.Dpd).ThenBy(i => i.LoanId).ToList();
}
