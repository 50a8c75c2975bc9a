using Lending.Api.Setup;
using Lending.Domain.Collections;
using Lending.Domain.Escalation;
using Lending.Domain.Loans;
using Lending.Domain.Loans.Delinquency;
using Marten;
using Microsoft.Extensions.Options;

namespace Lending.Api.Escalation;

/// <summary>Carry out the automatic action of a stage a loan entered. Sent through the durable outbox with the escalation.</summary>
public sealed record CarryOutEscalation(Guid LoanId, EscalationStage Stage, EscalationAction Action, DateOnly BusinessDate);

/// <summary>
/// Notices, queue assignment and legal referral for a stage entered. Each is done once: its id (loan, business date,
/// stage) is recorded on the loan with the event, so a redelivered message finds it done and does nothing.
/// </summary>
public static class CarryOutEscalationHandler
{
    public const string System = "escalation";

    public static async Task Handle(CarryOutEscalation message, IDocumentSession session, INotificationSender sender,
        IOptions<LendingOptions> options, TimeProvider clock, ILogger<CarryOutEscalation> logger, CancellationToken ct)
    {
        var stream = await session.Events.FetchForWriting<Loan>(message.LoanId, ct);
        var loan = stream.Aggregate;
        if (loan is null || loan.IsClosed || loan.Stage < message.Stage) return; // cured or closed meanwhile
        var actionId = Notices.IdFor(loan.Id, message.BusinessDate, message.Stage);
        if (loan.CompletedActions.Contains(actionId)) return;
        var now = clock.GetUtcNow();
        var queues = options.Value.Escalation;

        switch (message.Action)
        {
            case EscalationAction.ReminderNotice or EscalationAction.DemandLetter:
                var notice = Notices.For(loan, message.Action, message.Stage, message.BusinessDate)!;
                await sender.SendAsync(loan.Id, notice, ct);
                stream.AppendOne(new NoticeSent(loan.Id, notice.NoticeId, notice.Kind, notice.Channel, notice.Recipient, notice.Text,
                    message.Stage, now, message.BusinessDate));
                break;
            case EscalationAction.AssignCollectorQueue when loan.Collections.Assignment is null:
                stream.AppendMany(CollectionsDecisions.Assign(loan, AssigneeKind.Collector, queues.EarlyCollectionQueue,
                    new CollectionsActor(System, IsSupervisor: true), message.BusinessDate, now));
                break;
            case EscalationAction.AssignSeniorQueue:
                stream.AppendMany(CollectionsDecisions.Assign(loan, AssigneeKind.Collector, queues.LateCollectionQueue,
                    new CollectionsActor(System, IsSupervisor: true), message.BusinessDate, now));
                break;
            case EscalationAction.LegalReferral:
                stream.AppendOne(new LegalReferralMade(loan.Id, actionId, LoanPosition.DpdOf(loan, message.BusinessDate),
                    LoanPosition.Of(loan, message.BusinessDate).TotalOutstanding, message.BusinessDate));
                break;
            case EscalationAction.WriteOffProposal:
                if (WriteOffDecisions.Propose(loan, Guid.CreateVersion7(now), System, message.BusinessDate, now) is { } proposal)
                    stream.AppendOne(proposal);
                break;
            default:
                logger.LogInformation("No automatic action for {Action} on loan {LoanId}", message.Action, loan.Id);
                break;
        }
    }
}
