using Lending.Domain.Loans;
using Marten;

namespace Lending.Api.Tests.Infrastructure;

/// <summary>
/// Makes a race happen on cue: armed with a loan, the next save that would append a penalty accrual to it first runs
/// the racing action (a payment through the API, committed on its own), so the save finds the loan moved. Inert unless
/// armed; registered on every test host's store.
/// </summary>
public sealed class SaveRace : DocumentSessionListenerBase
{
    public static readonly SaveRace Instance = new();

    private sealed record Armed(Guid LoanId, Func<Task> Race, Func<object, bool> When);

    private Armed? _armed;

    /// <param name="when">The event whose save the race precedes: a penalty accrual (close of business) unless given.</param>
    public void Arm(Guid loanId, Func<Task> race, Func<object, bool>? when = null) =>
        _armed = new Armed(loanId, race, when ?? (e => e is PenaltyAccrued));

    public override async Task BeforeSaveChangesAsync(IDocumentSession session, CancellationToken token)
    {
        if (_armed is not { } armed
            || !(session.PendingChanges.Streams().Any(s => s.Id == armed.LoanId && s.Events.Any(e => armed.When(e.Data)))
                 || session.PendingChanges.Operations().OfType<Lending.Projections.Loans.LoanBatchWrite>()
                     .Any(o => o.Writes.Any(w => w.LoanId == armed.LoanId && w.Events.Any(e => armed.When(e)))))
            || Interlocked.CompareExchange(ref _armed, null, armed) != armed) return;
        await armed.Race();
    }
}
