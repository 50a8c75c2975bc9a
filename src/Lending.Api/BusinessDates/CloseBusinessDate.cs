using Lending.Api.Setup;
using Lending.Api.Escalation;
using Lending.Domain.CloseOfBusiness;
using Lending.Domain.Escalation;
using Lending.Domain.Products;
using Lending.Domain.Loans;
using Lending.Domain.Loans.Delinquency;
using Marten;
using Microsoft.Extensions.Options;
using Wolverine;

namespace Lending.Api.BusinessDates;

/// <summary>
/// Close the next batch of loans of one business date of a run, starting after <see cref="After"/> in the
/// close-of-business index. Sent through the durable outbox, so a crash resumes where the last committed batch ended.
/// </summary>
public sealed record CloseBusinessDate(Guid RunId, DateOnly Date, CobCursor? After = null);

public static class CloseBusinessDateHandler
{
    public static async Task<OutgoingMessages> Handle(CloseBusinessDate message, IDocumentSession session,
        BusinessCalendarStore calendars, CloseOfBusinessBatch closer, IOptions<LendingOptions> options,
        Lending.Domain.LendingPolicy policy, Lending.Projections.Collections.WorkQueueSchema queues, TimeProvider clock,
        IMessageContext context, ILogger<CloseBusinessDate> logger, CancellationToken ct)
    {
        var run = await session.LoadAsync<CobRun>(message.RunId, ct);
        if (run is null || run.NextDate != message.Date || run.Cursor != message.After)
        {
            logger.LogInformation("Close of business {Date} (run {RunId}, after {After}) already done; redelivery ignored",
                message.Date, message.RunId, message.After);
            return [];
        }

        try
        {
            return await CloseBatch(message, run, session, calendars, closer, policy, queues, options.Value.CloseOfBusiness.BatchSize,
                clock, context, logger, ct);
        }
        catch (Exception e) when (!IsTransient(e))
        {
            // A defect, not a passing conflict: stop the run visibly (and free the calendar) rather than retry forever.
            logger.LogError(e, "Close of business {Date} (run {RunId}) failed", message.Date, run.Id);
            session.EjectAllPendingChanges();
            var (failed, calendar) = CobDecisions.Failed(run, await calendars.LoadAsync(session, ct),
                $"{message.Date:yyyy-MM-dd}: {e.GetType().Name}: {e.Message}", clock.GetUtcNow());
            session.Store(failed);
            session.Store(calendar);
            return [];
        }
    }

    /// <summary>Conflicts with a concurrent payment and lost connections are retried by Wolverine's policy.</summary>
    private static bool IsTransient(Exception e) => Transience.IsTransient(e);

    private static async Task<OutgoingMessages> CloseBatch(CloseBusinessDate message, CobRun run, IDocumentSession session,
        BusinessCalendarStore calendars, CloseOfBusinessBatch closer, Lending.Domain.LendingPolicy policy,
        Lending.Projections.Collections.WorkQueueSchema queues, int batchSize, TimeProvider clock, IMessageContext context, ILogger logger,
        CancellationToken ct)
    {
        var started = clock.GetTimestamp();
        var batch = await LoansNeedingWork(session, message.Date, message.After, batchSize, ct);
        var paged = clock.GetTimestamp();
        // The parts' events and messages carry this batch message's correlation, as the handler's own session would.
        await closer.CloseAsync([.. batch.Select(b => b.LoanId)], message.Date, ct, context.CorrelationId, context.Envelope?.Id.ToString());
        // Where a batch's time goes, for an operator tuning the batch size or the parallelism (Debug: one line a batch).
        logger.LogDebug("Close of business {Date}: {Loans} loans, page read in {PageMs:F1} ms, closed in {CloseMs:F1} ms",
            message.Date, batch.Count, clock.GetElapsedTime(started, paged).TotalMilliseconds, clock.GetElapsedTime(paged).TotalMilliseconds);
        var actions = new OutgoingMessages();

        if (batch.Count == batchSize)
        {
            var next = batch[^1];
            session.Store(CobDecisions.BatchClosed(run, message.Date, message.After, next, batch.Count, clock.GetUtcNow())!);
            actions.Add(new CloseBusinessDate(run.Id, message.Date, next));
            return actions;
        }

        var calendar = await calendars.LoadAsync(session, ct);
        var (closedRun, newCalendar) = CobDecisions.DateClosed(run, calendar, message.Date, batch.Count, clock.GetUtcNow())!.Value;
        session.Store(closedRun);
        session.Store(newCalendar);
        // The queues of the loans this date did not touch, re-scored for it in one statement, with the date's last batch.
        session.QueueSqlCommand(queues.Rescore(policy.WorkQueue), Lending.Projections.Collections.WorkQueueSchema.RescoreParameters(message.Date));
        logger.LogInformation("Closed business date {Date} (run {RunId}, {Loans} loans so far)", message.Date, run.Id, closedRun.LoansProcessed);

        if (closedRun.NextDate is { } nextDate) actions.Add(new CloseBusinessDate(run.Id, nextDate));
        return actions;
    }

    /// <summary>Loans with contractual arrears before <paramref name="date"/>, in index order, after the cursor.</summary>
    private static async Task<IReadOnlyList<CobCursor>> LoansNeedingWork(IQuerySession session, DateOnly date, CobCursor? after,
        int limit, CancellationToken ct)
    {
        return await session.AdvancedSql.QueryAsync<CobCursor>(PageSql, ct, date, after?.DueDate ?? DateOnly.MinValue, after?.LoanId ?? Guid.Empty,
            limit);
    }

    /// <summary>A page of loans needing work: one range of the (date, id) index, in its order.</summary>
    internal const string PageSql =
        $"select jsonb_build_object('dueDate', {MartenSetup.CobIndexColumn}, 'loanId', id) from {MartenSetup.DocumentSchema}.mt_doc_loan " +
        $"where {MartenSetup.CobIndexColumn} < ? and ({MartenSetup.CobIndexColumn}, id) > (?, ?) order by {MartenSetup.CobIndexColumn}, id limit ?";
}
