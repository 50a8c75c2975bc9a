using Lending.Domain.Loans;
using Lending.Domain.Loans.Delinquency;

namespace Lending.Domain.Collections;

public sealed record WorkQueueItem(
    Guid LoanId, string BorrowerName, int Dpd, DelinquencyBucket Bucket, decimal TotalOutstanding, string Currency,
    DateOnly? PromiseDueOn, int BrokenPromises, DateTimeOffset? LastContactAt, int Priority);

/// <summary>
/// A collector's work queue, highest priority first. The score is additive so a collector can see why a loan is
/// near the top: 1 point per day past due (at most 180); 1 per 1,000 outstanding (at most 50); 20 per broken promise;
/// 50 when a promise falls due today; 15 when the borrower was never contacted, 10 when not in the last 3 days.
/// </summary>
public static class WorkQueue
{
    public static WorkQueueItem Item(Loan loan, DateOnly today)
    {
        var position = LoanPosition.Of(loan, today);
        var c = loan.Collections;
        var lastContact = c.Contacts.Count == 0 ? (DateTimeOffset?)null : c.Contacts.Max(x => x.OccurredAt);
        var priority = Math.Min(position.Dpd, 180)
            + (int)Math.Min(Math.Floor(position.TotalOutstanding / 1_000m), 50m)
            + 20 * c.BrokenPromises
            + (c.OpenPromise?.DueOn == today ? 50 : 0)
            + (lastContact is null ? 15 : DateOnly.FromDateTime(lastContact.Value.UtcDateTime) < today.AddDays(-3) ? 10 : 0);
        return new WorkQueueItem(loan.Id, loan.Borrower.Name, position.Dpd, loan.Bucket, position.TotalOutstanding, loan.Currency,
            c.OpenPromise?.DueOn, c.BrokenPromises, lastContact, priority);
    }

    public static IReadOnlyList<WorkQueueItem> Order(IEnumerable<Loan> loans, DateOnly today) =>
        loans.Where(l => !l.IsClosed).Select(l => Item(l, today))
            .OrderByDescending(i => i.Priority).ThenByDescending(i => i.Dpd).ThenBy(i => i.LoanId).ToList();
}
