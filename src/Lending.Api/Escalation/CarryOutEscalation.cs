using Lending.Api.Setup;
using Lending.Domain.Escalation;
using Lending.Domain.Loans;
using Marten;
using Microsoft.Extensions.Options;

namespace Lending.Api.Escalation;

/// <summary>
/// Carry out the automatic action of a stage a loan entered. Sent through the durable outbox with the escalation.
/// <see cref="MinDpd"/>: the stage's DPD threshold on the loan's ladder, which a write-off proposal must still meet when approved.
/// </summary>
public sealed record CarryOutEscalation(Guid LoanId, EscalationStage Stage, EscalationAction Action, DateOnly BusinessDate, int MinDpd = 1);

/// <summary>
/// Notices, queue assignment and legal referral for a stage entered. Each is done once: its id (loan, business date,
/// stage) is recorded on the loan with the event, so a redelivered message finds it done and does nothing.
/// </summary>
public static class CarryOutEscalationHandler
{
    public static async Task Handle(CarryOutEscalation message, IDocumentSession session, INotificationSender sender,
        IOptions<LendingOptions> options, Lending.Domain.LendingPolicy limits, TimeProvider clock, ILogger<CarryOutEscalation> logger, CancellationToken ct)
    {
        var stream = await session.Events.FetchForWriting<Loan>(message.LoanId, ct);
        if (stream.Aggregate is not { } loan) return;
        var now = clock.GetUtcNow();
        var (notice, events) = EscalationActions.Decide(loan, message.Stage, message.Action, message.BusinessDate,
            options.Value.Escalation.Queues, Guid.CreateVersion7(now), now, message.MinDpd, limits);
        // The notice goes out before it is recorded: a crash in between sends it again, with the same id.
        if (notice is not null) await sender.SendAsync(loan.Id, notice, ct);
        if (events.Count > 0) stream.AppendMany(events);
        else logger.LogDebug("Nothing to do for {Action} on loan {LoanId}", message.Action, loan.Id);
    }
}
