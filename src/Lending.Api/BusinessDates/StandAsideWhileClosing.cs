using Lending.Api.Setup;
using Lending.Domain.CloseOfBusiness;
using Marten;
using Marten.Events.Daemon.Coordination;
using Microsoft.Extensions.Options;

namespace Lending.Api.BusinessDates;

/// <summary>
/// On every node: pauses this node's async projections while a close-of-business run closes dates and resumes them
/// once it has finished (<see cref="ProjectionsStandAside"/>). Each node decides for itself from the business calendar,
/// so whichever node holds the daemon's leadership (HotCold) stands aside, and a node taking over does too.
/// </summary>
public sealed class StandAsideWhileClosing(IDocumentStore store, IProjectionCoordinator coordinator, IHostApplicationLifetime lifetime,
    IOptions<LendingOptions> options, TimeProvider clock, ILogger<StandAsideWhileClosing> log) : BackgroundService
{
    private volatile StandingAside? _current;

    /// <summary>The run the projections stand aside for on this node now, or null while they work.</summary>
    public StandingAside? Current => _current;

    protected override async Task ExecuteAsync(CancellationToken ct)
    {
        var o = options.Value.CloseOfBusiness;
        if (!o.ProjectionsStandAside) return;
        if (o.StandAsideStalledAfterSeconds is < 10 or > 86_400)
            throw new InvalidOperationException($"Lending:CloseOfBusiness:StandAsideStalledAfterSeconds is {o.StandAsideStalledAfterSeconds}; it must be 10 to 86400.");
        if (o.StandAsidePollMilliseconds is < 50 or > 60_000)
            throw new InvalidOperationException($"Lending:CloseOfBusiness:StandAsidePollMilliseconds is {o.StandAsidePollMilliseconds}; it must be 50 to 60000.");

        // The coordinator starts with the host: pausing it before then would be undone by its own start.
        var started = new TaskCompletionSource();
        await using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        using (ct.Register(() => started.TrySetCanceled(ct)))
            await started.Task;

        // A polling interval, not an instant of lending logic: the system timer, which a test clock standing still must
        // not stop. The run's progress is timed by the service clock (the stall period).
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(o.StandAsidePollMilliseconds));
        var stalledAfter = TimeSpan.FromSeconds(o.StandAsideStalledAfterSeconds);
        var decision = new StandAsideDecision(false, null);
        do
        {
            try
            {
                await using var session = store.QuerySession();
                var calendar = await session.LoadAsync<BusinessCalendar>(BusinessCalendar.DocumentId, ct);
                var run = calendar?.ActiveRunId is { } id ? await session.LoadAsync<CobRun>(id, ct) : null;
                var next = ProjectionsStandAside.Decide(run, decision.Seen, clock.GetUtcNow(), stalledAfter);
                if (next.StandAside && _current is null)
                {
                    await coordinator.PauseAsync();
                    _current = new StandingAside(next.Seen!.RunId, clock.GetUtcNow());
                    log.LogInformation("Async projections stand aside while close-of-business run {RunId} closes dates", next.Seen.RunId);
                }
                else if (!next.StandAside && _current is { } was)
                {
                    if (next.StalledSince is { } since)
                        log.LogWarning("Close-of-business run {RunId} has closed nothing since {Since}; the async projections resume. " +
                            "Resume the run with POST /cob/runs/{RunId}/resume", was.RunId, since, was.RunId);
                    await coordinator.ResumeAsync();
                    _current = null;
                    log.LogInformation("Async projections resume after close-of-business run {RunId}, {Seconds:F1} s aside", was.RunId,
                        (clock.GetUtcNow() - was.Since).TotalSeconds);
                }
                decision = next;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogWarning(e, "Could not read whether close of business is running; the async projections stay as they are");
            }
        } while (await timer.WaitForNextTickAsync(ct));
    }
}

/// <summary>The async projections stand aside for close-of-business run <paramref name="RunId"/>, since an instant.</summary>
public sealed record StandingAside(Guid RunId, DateTimeOffset Since);
