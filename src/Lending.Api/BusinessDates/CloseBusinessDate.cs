using Lending.Domain.CloseOfBusiness;
using Marten;
using Microsoft.Extensions.Logging;
using Wolverine;

namespace Lending.Api.BusinessDates;

/// <summary>Close one business date of a run. Sent through the durable outbox, so it survives a crash.</summary>
public sealed record CloseBusinessDate(Guid RunId, DateOnly Date);

public static class CloseBusinessDateHandler
{
    public static async Task<OutgoingMessages> Handle(CloseBusinessDate message, IDocumentSession session,
        BusinessCalendarStore calendars, TimeProvider clock, ILogger<CloseBusinessDate> logger, CancellationToken ct)
    {
        var run = await session.LoadAsync<CobRun>(message.RunId, ct);
        if (run is null)
        {
            logger.LogWarning("Close-of-business run {RunId} not found; message dropped", message.RunId);
            return [];
        }

        var calendar = await calendars.LoadAsync(session, ct);
        // Per-loan work for the date goes here; the run records how many loans needed it.
        const long loansProcessed = 0;

        if (CobDecisions.DateClosed(run, calendar, message.Date, loansProcessed, clock.GetUtcNow()) is not var (updated, newCalendar))
        {
            logger.LogInformation("Business date {Date} of run {RunId} already closed; redelivery ignored", message.Date, run.Id);
            return [];
        }

        session.Store(updated);
        session.Store(newCalendar);
        logger.LogInformation("Closed business date {Date} (run {RunId}, {Loans} loans)", message.Date, run.Id, loansProcessed);

        return updated.NextDate is { } next ? [new CloseBusinessDate(run.Id, next)] : [];
    }
}
