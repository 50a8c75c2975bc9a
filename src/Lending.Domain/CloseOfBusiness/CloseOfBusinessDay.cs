using Lending.Domain.Escalation;
using Lending.Domain.Loans;
using Lending.Domain.Loans.Delinquency;

namespace Lending.Domain.CloseOfBusiness;

/// <summary>An escalation stage's action that close of business hands on, to be carried out once its events are committed.</summary>
/// <param name="MinDpd">The stage's DPD threshold on the loan's ladder, which a write-off proposal must still meet when approved.</param>
public sealed record EscalationDue(EscalationStage Stage, EscalationAction Action, DateOnly BusinessDate, int MinDpd);

/// <summary>One loan closed for one business date: the events to append, the loan they make, and the actions they call for.</summary>
public sealed record LoanDayClosed(Loan Loan, IReadOnlyList<ILoanEvent> Events, IReadOnlyList<EscalationDue> Actions);

/// <summary>
/// Close of business for one loan on one date, with the ladder of the loan's own product: the ledger and delinquency
/// (<see cref="LoanCloseOfBusiness"/>), the stages it enters and their actions, and a rejected write-off proposed again
/// once the policy's wait is over. The service's close-of-business batches and the portfolio generator both call this,
/// so a generated book is one the service would have closed.
/// </summary>
public static class CloseOfBusinessDay
{
    public static LoanDayClosed Close(Loan loan, DateOnly date, BucketPolicy buckets, EscalationLadder ladder, LendingPolicy policy)
    {
        var events = LoanCloseOfBusiness.Decide(loan, date, buckets, ladder);
        var closed = events.Aggregate(loan, (l, e) => Loan.Evolve(l, e));
        var actions = events.OfType<LoanEscalated>()
            .Select(e => new EscalationDue(e.To, e.Action, e.BusinessDate, ladder.MinDpdOf(e.To)))
            .ToList();
        // A write-off rejected a while ago is proposed again while the loan still qualifies; once a date, so a batch run
        // again after this date was closed for the loan hands nothing on twice.
        var writeOffDpd = ladder.MinDpdOf(EscalationStage.WriteOff);
        if (loan.LastBusinessDate < date && WriteOffDecisions.DueAgain(closed, date, writeOffDpd, policy.WriteOffReproposeDays))
            actions.Add(new EscalationDue(EscalationStage.WriteOff, EscalationAction.WriteOffProposal, date, writeOffDpd));
        return new LoanDayClosed(closed, events, actions);
    }
}
