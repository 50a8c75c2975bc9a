using Lending.Domain.Collections;
using Lending.Domain.Loans;
using Lending.Domain.Loans.Delinquency;

namespace Lending.Domain.Escalation;

/// <summary>The collector queues the ladder assigns loans to.</summary>
public sealed record EscalationQueues(string EarlyCollection, string LateCollection);

/// <summary>
/// What carrying out a stage's action records on the loan: the notice sent, the queue assignment, the legal referral or
/// the write-off proposal. Nothing when the loan was cured or closed meanwhile, or the action is done already (its id —
/// loan, business date, stage — is on the loan), so a redelivered action does nothing.
/// </summary>
public static class EscalationActions
{
    public const string System = "escalation";

    /// <returns>The notice to send before recording it (null for other actions), and the events to append.</returns>
    public static (Notice? Notice, IReadOnlyList<ILoanEvent> Events) Decide(Loan loan, EscalationStage stage, EscalationAction action,
        DateOnly date, EscalationQueues queues, Guid proposalId, DateTimeOffset now, int writeOffMinDpd = 1, LendingPolicy? limits = null)
    {
        if (loan.IsClosed || loan.Stage < stage) return (null, []);
        var actionId = Notices.IdFor(loan.Id, date, stage);
        if (loan.CompletedActions.Contains(actionId)) return (null, []);
        var system = new CollectionsActor(System, IsSupervisor: true);

        switch (action)
        {
            case EscalationAction.ReminderNotice or EscalationAction.DemandLetter:
                var notice = Notices.For(loan, action, stage, date, (limits ?? LendingPolicy.Default).DemandResponseDays)!;
                return (notice, [new NoticeSent(loan.Id, notice.NoticeId, notice.Kind, notice.Channel, notice.Recipient, notice.Text, stage, now, date)]);
            case EscalationAction.AssignCollectorQueue when loan.Collections.Assignment is null:
                return (null, CollectionsDecisions.Assign(loan, AssigneeKind.Collector, queues.EarlyCollection, system, date, now));
            case EscalationAction.AssignSeniorQueue:
                return (null, CollectionsDecisions.Assign(loan, AssigneeKind.Collector, queues.LateCollection, system, date, now));
            case EscalationAction.LegalReferral:
                return (null, [new LegalReferralMade(loan.Id, actionId, LoanPosition.DpdOf(loan, date), LoanPosition.Of(loan, date).TotalOutstanding, date)]);
            case EscalationAction.WriteOffProposal:
                return (null, WriteOffDecisions.Propose(loan, proposalId, System, date, now, writeOffMinDpd) is { } proposal ? [proposal] : []);
            default:
                return (null, []);
        }
    }
}
