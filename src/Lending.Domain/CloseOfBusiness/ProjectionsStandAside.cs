namespace Lending.Domain.CloseOfBusiness;

/// <summary>How far a close-of-business run had got when a node last looked, and since when it has stood there.</summary>
public sealed record CobProgressSeen(Guid RunId, int DaysClosed, long LoansProcessed, CobCursor? Cursor, DateTimeOffset Since)
{
    public bool SameAs(CobRun run) =>
        run.Id == RunId && run.DaysClosed == DaysClosed && run.LoansProcessed == LoansProcessed && run.Cursor == Cursor;
}

/// <summary>
/// Whether the async projections (the analytics figures, the sealed evidence log) stand aside now, and what was seen
/// of the run to decide it. <see cref="StalledSince"/> is set when a run that is still marked running has not moved.
/// </summary>
public sealed record StandAsideDecision(bool StandAside, CobProgressSeen? Seen, DateTimeOffset? StalledSince = null);

/// <summary>
/// Close of business has the machine: while a run closes dates, the async projections stand aside and catch up once it
/// has finished. They answer for dates already closed, and the date being closed is not a business date yet, so
/// nothing they serve is lost; a close that shares the cores with them takes about twice as long. A run that has not
/// moved for <c>stalledAfter</c> (its message lost, waiting for <c>POST /cob/runs/{id}/resume</c>) no longer holds them back.
/// </summary>
public static class ProjectionsStandAside
{
    /// <param name="activeRun">The run the business calendar names as active, or null.</param>
    /// <param name="lastSeen">What the previous look saw (null on the first).</param>
    public static StandAsideDecision Decide(CobRun? activeRun, CobProgressSeen? lastSeen, DateTimeOffset now, TimeSpan stalledAfter)
    {
        if (activeRun is not { Status: CobRunStatus.Running } run) return new StandAsideDecision(false, null);

        var seen = lastSeen is not null && lastSeen.SameAs(run)
            ? lastSeen
            : new CobProgressSeen(run.Id, run.DaysClosed, run.LoansProcessed, run.Cursor, now);
        return now - seen.Since < stalledAfter
            ? new StandAsideDecision(true, seen)
            : new StandAsideDecision(false, seen, seen.Since);
    }
}
