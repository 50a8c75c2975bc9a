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

    /// <summary>
    /// What carrying out an action comes to: the notice to send before recording it (null when there is none to send
    /// now), the events to append, and when to try again (a notice held for the borrower's quiet hours).
    /// </summary>
    public sealed record Outcome(Notice? Send, IReadOnlyList<ILoanEvent> Events, DateTimeOffset? RetryAt = null)
    {
        public static readonly Outcome Nothing = new(null, []);
    }

    /// <param name="now">When the action is carried out: a notice goes out now, so the conduct guard judges this moment.</param>
    public static Outcome Decide(Loan loan, EscalationStage stage, EscalationAction action, DateOnly date, EscalationQueues queues,
        Guid proposalId, DateTimeOffset now, int writeOffMinDpd = 1, LendingPolicy? limits = null, ConductPolicy? conduct = null,
        NoticeTemplates? templates = null)
    {
        if (loan.IsClosed || loan.Stage < stage) return Outcome.Nothing;
        var actionId = Notices.IdFor(loan.Id, date, stage);
        if (loan.CompletedActions.Contains(actionId)) return Outcome.Nothing;
        var system = new CollectionsActor(System, IsSupervisor: true);

        switch (action)
        {
            case EscalationAction.ReminderNotice or EscalationAction.DemandLetter:
                var notice = Notices.For(loan, action, stage, date, (limits ?? LendingPolicy.Default).DemandResponseDays, templates)!;
                return NoticeOutcome(loan, notice, stage, date, now, conduct ?? new ConductPolicy(), (limits ?? LendingPolicy.Default).NoticesAfterFiling);
            case EscalationAction.AssignCollectorQueue when loan.Collections.Assignment is null:
                return new(null, CollectionsDecisions.Assign(loan, AssigneeKind.Collector, queues.EarlyCollection, system, date, now));
            case EscalationAction.AssignSeniorQueue:
                return new(null, CollectionsDecisions.Assign(loan, AssigneeKind.Collector, queues.LateCollection, system, date, now));
            case EscalationAction.LegalReferral:
                return new(null, [new LegalReferralMade(loan.Id, actionId, LoanPosition.DpdOf(loan, date), LoanPosition.Of(loan, date).TotalOutstanding, date)]);
            case EscalationAction.WriteOffProposal:
                return new(null, WriteOffDecisions.Propose(loan, proposalId, System, date, now, writeOffMinDpd) is { } proposal ? [proposal] : []);
            default:
                return Outcome.Nothing;
        }
    }

    /// <summary>
    /// Sent, held for quiet hours (once: a held notice is not held again, only tried again at the window's opening), or
    /// suppressed, each an event naming the rule that decided it (<see cref="NoticeConduct"/>).
    /// </summary>
    private static Outcome NoticeOutcome(Loan loan, Notice notice, EscalationStage stage, DateOnly date, DateTimeOffset now, ConductPolicy conduct,
        bool noticesAfterFiling)
    {
        switch (NoticeConduct.Judge(loan, notice, conduct, now, noticesAfterFiling))
        {
            case SendNotice send:
                return new(notice, [new NoticeSent(loan.Id, notice.NoticeId, notice.Kind, notice.Channel, notice.Recipient, notice.Text, stage,
                    now, date, send.Exception)]);
            case HoldNotice hold when loan.HeldNotices?.ContainsKey(notice.NoticeId) == true:
                return new(null, [], hold.Until);
            case HoldNotice hold:
                return new(null, [new NoticeHeld(loan.Id, notice.NoticeId, notice.Kind, notice.Channel, hold.Rule, hold.Until, stage, now, date)],
                    hold.Until);
            case SuppressNotice suppress:
                return new(null, [new NoticeSuppressed(loan.Id, notice.NoticeId, notice.Kind, notice.Channel, suppress.Rules, stage, now, date)]);
            default:
                return Outcome.Nothing;
        }
    }
}
