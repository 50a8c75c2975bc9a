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

    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        var o = options.Value.CloseOfBusiness;
        if (!o.ProjectionsStandAside) return;
        if (o.StandAsideStalledAfterSeconds is < 10 or > 86_400)
            throw new InvalidOperationException($"Lending:CloseOfBusiness:StandAsideStalledAfterSeconds is {o.StandAsideStalledAfterSeconds}; it must be 10 to 86400.");
        if (o.StandAsidePollMilliseconds is < 50 or > 60_000)
            throw new InvalidOperationException($"Lending:CloseOfBusiness:StandAsidePollMilliseconds is {o.StandAsidePollMilliseconds}; it must be 50 to 60000.");

        // The coordinator starts with the host, and pausing it before then would be undone by its own start; once the host
        // is stopping, the coordinator stops (and gives up its locks), and resuming it would take them again.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(stopping, lifetime.ApplicationStopping);
        var ct = stop.Token;
        var started = new TaskCompletionSource();
        await using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        await using (ct.Register(() => started.TrySetCanceled(ct)))
        {
            try { await started.Task; }
            catch (OperationCanceledException) { return; }
        }

        // A polling interval, not an instant of lending logic: the system timer, which a test clock standing still must
        // not stop. How long a run has not moved is measured on the service clock against the run's own instant.
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(o.StandAsidePollMilliseconds));
        var stalledAfter = TimeSpan.FromSeconds(o.StandAsideStalledAfterSeconds);
        try
        {
            do await LookAsync(stalledAfter, ct);
            while (await timer.WaitForNextTickAsync(ct));
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
    }

    private async Task LookAsync(TimeSpan stalledAfter, CancellationToken ct)
    {
        try
        {
            await using var session = store.QuerySession();
            var calendar = await session.LoadAsync<BusinessCalendar>(BusinessCalendar.DocumentId, ct);
            var run = calendar?.ActiveRunId is { } id ? await session.LoadAsync<CobRun>(id, ct) : null;
            var decision = ProjectionsStandAside.Decide(run, clock.GetUtcNow(), stalledAfter);
            ct.ThrowIfCancellationRequested();
            if (decision.StandAside)
            {
                if (_current is null) await coordinator.PauseAsync();
                if (_current?.RunId != decision.RunId)
                {
                    _current = new StandingAside(decision.RunId!.Value, clock.GetUtcNow());
                    log.LogInformation("Async projections stand aside while close-of-business run {RunId} closes dates", decision.RunId);
                }
            }
            else if (_current is { } was)
            {
                if (decision.StalledSince is { } since)
                    log.LogWarning("Close-of-business run {RunId} has closed nothing since {Since}; the async projections resume. " +
                        "Resume the run with POST /cob/runs/{RunId}/resume", decision.RunId, since, decision.RunId);
                await coordinator.ResumeAsync();
                _current = null;
                log.LogInformation("Async projections resume after close-of-business run {RunId}, {Seconds:F1} s aside", was.RunId,
                    (clock.GetUtcNow() - was.Since).TotalSeconds);
            }
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            log.LogWarning(e, "Could not read whether close of business is running, or pause or resume the async projections; trying again");
        }
    }
}

/// <summary>The async projections stand aside for close-of-business run <paramref name="RunId"/>, since an instant.</summary>
public sealed record StandingAside(Guid RunId, DateTimeOffset Since);
