namespace Lending.Domain.CloseOfBusiness;

/// <summary>
/// Whether the async projections (the analytics figures, the sealed evidence log) stand aside now, and for which run.
/// <see cref="StalledSince"/> is set when a run still marked running has not moved for the stall period.
/// </summary>
public sealed record StandAsideDecision(bool StandAside, Guid? RunId = null, DateTimeOffset? StalledSince = null);

/// <summary>
/// Close of business has the machine: while a run closes dates, the async projections stand aside and catch up once it
/// has finished. They answer for dates already closed, and the date being closed is not a business date yet, so
/// nothing they serve is lost; a close that shares the cores with them takes about twice as long. A run that has not
/// moved for <c>stalledAfter</c> (its message lost, waiting for <c>POST /cob/runs/{id}/resume</c>) no longer holds them
/// back. Decided from the run document alone, so every node, and a node started during the run, decides the same.
/// </summary>
public static class ProjectionsStandAside
{
    /// <param name="activeRun">The run the business calendar names as active, or null.</param>
    public static StandAsideDecision Decide(CobRun? activeRun, DateTimeOffset now, TimeSpan stalledAfter) => activeRun switch
    {
        not { Status: CobRunStatus.Running } => new StandAsideDecision(false),
        { } run when now - run.LastMoved >= stalledAfter => new StandAsideDecision(false, run.Id, run.LastMoved),
        { } run => new StandAsideDecision(true, run.Id),
    };
}
