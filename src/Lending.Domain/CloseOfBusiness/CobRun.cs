namespace Lending.Domain.CloseOfBusiness;

public enum CobRunStatus { Running, Completed, Failed }

/// <summary>Where a run stands within a date: the last loan closed, by the close-of-business index order.</summary>
public sealed record CobCursor(DateOnly DueDate, Guid LoanId);

/// <summary>
/// A close-of-business run: closes each business date from <see cref="FromDate"/> through <see cref="ToDate"/>
/// in order. Progress is kept per date so a run interrupted by a crash resumes where it stopped and never
/// closes a date twice.
/// </summary>
public sealed record CobRun(
    Guid Id,
    DateOnly FromDate,
    DateOnly ToDate,
    CobRunStatus Status,
    DateOnly? LastClosedDate,
    int DaysClosed,
    long LoansProcessed,
    string RequestedBy,
    DateTimeOffset StartedAt,
    DateTimeOffset? FinishedAt,
    string? Error,
    CobCursor? Cursor = null,
    DateTimeOffset? ProgressAt = null)
{
    /// <summary>When the run last closed something (a batch or a date) or was started or resumed.</summary>
    public DateTimeOffset LastMoved => ProgressAt ?? StartedAt;

    /// <summary>The date this run closes next, or null once it is finished.</summary>
    public DateOnly? NextDate => Status != CobRunStatus.Running ? null
        : LastClosedDate is { } last ? (last < ToDate ? last.AddDays(1) : null)
        : FromDate;
}

/// <summary>The business calendar: which date all lending logic treats as today.</summary>
public sealed record BusinessCalendar(DateOnly BusinessDate, Guid? ActiveRunId)
{
    public const string DocumentId = "business-calendar";
    public string Id => DocumentId;
}

public static class CobDecisions
{
    public const int MaxDaysPerRun = 3660;

    /// <summary>Starts a run that closes the next <paramref name="days"/> business dates.</summary>
    public static CobRun Start(BusinessCalendar calendar, int days, Guid runId, string actor, DateTimeOffset now)
    {
        if (days is < 1 or > MaxDaysPerRun)
            throw new LendingRuleViolated("business_date.days_out_of_range", $"Days must be between 1 and {MaxDaysPerRun}.");
        if (calendar.ActiveRunId is { } active)
            throw new LendingRuleViolated("cob.run_in_progress",
                $"Close-of-business run {active} is still running; wait for it to finish.", RefusalKind.Conflict);

        var from = calendar.BusinessDate.AddDays(1);
        return new CobRun(runId, from, calendar.BusinessDate.AddDays(days), CobRunStatus.Running,
            LastClosedDate: null, DaysClosed: 0, LoansProcessed: 0, actor, now, FinishedAt: null, Error: null, ProgressAt: now);
    }

    /// <summary>
    /// Records a batch of loans closed for <paramref name="date"/>. Null when the batch is not the one the run expects
    /// next (a redelivered message), so the caller does nothing a second time.
    /// </summary>
    public static CobRun? BatchClosed(CobRun run, DateOnly date, CobCursor? expectedCursor, CobCursor next, int loans, DateTimeOffset now) =>
        run.NextDate != date || run.Cursor != expectedCursor ? null
            : run with { Cursor = next, LoansProcessed = run.LoansProcessed + loans, ProgressAt = now };

    /// <summary>
    /// Records that <paramref name="date"/> was closed. Returns null when that date was already closed by this run
    /// (a redelivered message), so the caller does nothing a second time.
    /// </summary>
    public static (CobRun Run, BusinessCalendar Calendar)? DateClosed(
        CobRun run, BusinessCalendar calendar, DateOnly date, long loansProcessed, DateTimeOffset now)
    {
        if (run.NextDate != date) return null;

        var finished = date == run.ToDate;
        var updated = run with
        {
            LastClosedDate = date,
            DaysClosed = run.DaysClosed + 1,
            LoansProcessed = run.LoansProcessed + loansProcessed,
            Cursor = null,
            Status = finished ? CobRunStatus.Completed : CobRunStatus.Running,
            FinishedAt = finished ? now : null,
            ProgressAt = now,
        };
        return (updated, new BusinessCalendar(date, finished ? null : run.Id));
    }

    /// <summary>Takes up a stopped or failed run again from the date and batch where it stopped.</summary>
    public static CobRun Resume(CobRun run, BusinessCalendar calendar, DateTimeOffset now)
    {
        if (run.Status == CobRunStatus.Completed)
            throw new LendingRuleViolated("cob.run_completed", "The run has completed; there is nothing to resume.", RefusalKind.Conflict);
        if (calendar.ActiveRunId is { } other && other != run.Id)
            throw new LendingRuleViolated("cob.run_in_progress", $"Run {other} is active; resume that one instead.", RefusalKind.Conflict);
        return run with { Status = CobRunStatus.Running, Error = null, FinishedAt = null, ProgressAt = now };
    }

    public static (CobRun Run, BusinessCalendar Calendar) Failed(CobRun run, BusinessCalendar calendar, string error, DateTimeOffset now) =>
        (run with { Status = CobRunStatus.Failed, Error = error, FinishedAt = now }, calendar with { ActiveRunId = null });
}
