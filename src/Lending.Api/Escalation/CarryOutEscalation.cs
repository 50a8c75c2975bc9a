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
/// The stage actions one part of a close-of-business batch decided: one durable message in the part's transaction
/// (one outbox row for the part, however many loans entered a stage).
/// </summary>
public sealed record CarryOutEscalations(IReadOnlyList<CarryOutEscalation> Actions)
{
    /// <summary>The message types of escalation actions as Wolverine stores them (its inbox, its dead letters).</summary>
    public static readonly string[] StoredTypes = [typeof(CarryOutEscalation).FullName!, typeof(CarryOutEscalations).FullName!];

    /// <summary>
    /// The actions in an envelope as Wolverine stores it: one action, or a close-of-business part's batch of them (not
    /// yet split into one message each).
    /// </summary>
    public static IReadOnlyList<CarryOutEscalation> InStoredEnvelope(byte[] body)
    {
        var envelope = Wolverine.Runtime.Serialization.EnvelopeSerializer.Deserialize(body);
        if (envelope.Data is not { } data) return [];
        return envelope.MessageType == typeof(CarryOutEscalations).FullName
            ? System.Text.Json.JsonSerializer.Deserialize<CarryOutEscalations>(data, BodyJson)?.Actions ?? []
            : System.Text.Json.JsonSerializer.Deserialize<CarryOutEscalation>(data, BodyJson) is { } one ? [one] : [];
    }

    private static readonly System.Text.Json.JsonSerializerOptions BodyJson = new(System.Text.Json.JsonSerializerDefaults.Web);
}

/// <summary>
/// Splits a part's actions into one <see cref="CarryOutEscalation"/> each, in one transaction that also marks the batch
/// handled: every action is sent exactly once, off the close of business's path. Each stays its own message because a
/// delivery has its own retries, dead letter, quiet-hours hold and timeout: one slow or refusing channel holds up no
/// other loan's notice.
/// </summary>
public static class CarryOutEscalationsHandler
{
    /// <param name="session">Unused, and needed: a handler that depends on a Marten session is one Marten transaction
    /// (AutoApplyTransactions), in which the actions' messages are stored and the batch marked handled together.</param>
    public static OutgoingMessages Handle(CarryOutEscalations batch, IDocumentSession session)
    {
        var actions = new OutgoingMessages();
        actions.AddRange(batch.Actions);
        return actions;
    }
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
            // Once sent, the notice is a fact whatever happened to the loan meanwhile: recorded in its own transaction, on
            // the loan as it then stands when close of business or a payment appended to it since it was read. A conflict
            // rolling the record back would retry the action, find it unrecorded and send the notice a second time.
            await RecordSent(store, session, loan.Id, events, ct);
            events = [];
        }
        if (events.Count > 0) stream.AppendMany(events);
        else if (outcome.RetryAt is null) logger.LogDebug("Nothing to do for {Action} on loan {LoanId}", message.Action, loan.Id);

        if (outcome.RetryAt is not { } retryAt) return [];
        // Held for quiet hours: the same action again when the window opens (at least a second on, whatever the clock).
        var wait = retryAt - now;
        return [message.DelayedFor(wait < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : wait)];
    }

    private static async Task RecordSent(IDocumentStore store, IDocumentSession handler, Guid loanId, IReadOnlyList<ILoanEvent> events,
        CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var record = store.LightweightSession();
            (record.CorrelationId, record.CausationId) = (handler.CorrelationId, handler.CausationId);
            var stream = await record.Events.FetchForWriting<Loan>(loanId, ct);
            stream.AppendMany([.. events]);
            try
            {
                await record.SaveChangesAsync(ct);
                return;
            }
            catch (JasperFx.ConcurrencyException) when (attempt < 5)
            {
                // The loan moved between the read and the save: read it again and record the same facts after its new events.
            }
        }
    }
}
