using Lending.Api.Notifications;
using Lending.Api.Setup;
using Lending.Domain.Collections;
using Lending.Domain.Escalation;
using Lending.Domain.Loans;
using Marten;
using Microsoft.Extensions.Options;
using Wolverine;

namespace Lending.Api.Escalation;

/// <summary>
/// Carry out the automatic action of a stage a loan entered. Sent through the durable outbox with the escalation.
/// <see cref="MinDpd"/>: the stage's DPD threshold on the loan's ladder, which a write-off proposal must still meet when approved.
/// </summary>
public sealed record CarryOutEscalation(Guid LoanId, EscalationStage Stage, EscalationAction Action, DateOnly BusinessDate, int MinDpd = 1)
{
    public static CarryOutEscalation For(Guid loanId, Lending.Domain.CloseOfBusiness.EscalationDue due) =>
        new(loanId, due.Stage, due.Action, due.BusinessDate, due.MinDpd);
}

/// <summary>
/// Notices, queue assignment and legal referral for a stage entered. Each is done once: its id (loan, business date,
/// stage) is recorded on the loan with the event, so a redelivered message finds it done and does nothing. A notice the
/// conduct guard holds for the borrower's quiet hours comes back as this same message, scheduled (durably) for the
/// window's opening.
/// </summary>
public static class CarryOutEscalationHandler
{
    public static async Task<OutgoingMessages> Handle(CarryOutEscalation message, IDocumentSession session, INotificationSender sender,
        IOptions<LendingOptions> options, Lending.Domain.LendingPolicy limits, ConductPolicy conduct, TimeProvider clock,
        IDocumentStore store, Envelope envelope, NoticeTemplates templates, ILogger<CarryOutEscalation> logger, CancellationToken ct)
    {
        var stream = await session.Events.FetchForWriting<Loan>(message.LoanId, ct);
        if (stream.Aggregate is not { } loan) return [];
        var now = clock.GetUtcNow();
        var outcome = EscalationActions.Decide(loan, message.Stage, message.Action, message.BusinessDate,
            options.Value.Escalation.Queues, Guid.CreateVersion7(now), now, message.MinDpd, limits, conduct, templates);
        // The notice goes out before it is recorded: a crash in between sends it again, with the same id.
        var events = outcome.Events;
        if (outcome.Send is { } notice)
        {
            DeliveryReceipt receipt;
            try
            {
                receipt = await sender.SendAsync(loan.Id, notice, ct);
            }
            catch (NotificationDeliveryException failure)
            {
                // The failure is a fact too: recorded in its own transaction, since this one rolls back for the retry.
                await using var record = store.LightweightSession();
                record.Events.Append(loan.Id, loan.Version + 1, new NoticeDeliveryFailed(loan.Id, notice.NoticeId, notice.Kind, notice.Channel,
                    failure.Adapter, envelope.Attempts, failure.Message, now, message.BusinessDate));
                await record.SaveChangesAsync(ct);
                throw;
            }
            // Recorded as sent only now that a channel accepted it, with what the channel said.
            events = [.. events.Select(e => e is NoticeSent sent
                ? sent with { Delivery = receipt.Adapter, DeliveryReference = receipt.Reference, Document = receipt.Document, DocumentSha256 = receipt.Sha256 }
                : e)];
        }
        if (events.Count > 0) stream.AppendMany(events);
        else if (outcome.RetryAt is null) logger.LogDebug("Nothing to do for {Action} on loan {LoanId}", message.Action, loan.Id);

        if (outcome.RetryAt is not { } retryAt) return [];
        // Held for quiet hours: the same action again when the window opens (at least a second on, whatever the clock).
        var wait = retryAt - now;
        return [message.DelayedFor(wait < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : wait)];
    }
}
