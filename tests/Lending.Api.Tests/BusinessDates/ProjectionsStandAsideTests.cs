using System.Diagnostics;
using System.Text.Json;
using Alba;
using Lending.Api.Tests.Escalation;
using Lending.Api.Tests.Infrastructure;
using Lending.Domain.CloseOfBusiness;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace Lending.Api.Tests.BusinessDates;

/// <summary>
/// While a close-of-business run closes dates, the async projections stand aside on the node that runs them (HotCold, as
/// in production) and catch up once it has finished; a run that stops moving releases them after the stall period.
/// </summary>
[Collection(RestartCollection.Name)]
public class ProjectionsStandAsideTests() : OwnDatabaseTest("lending_standaside")
{
    private static async Task<JsonElement> Json(IScenarioResult r) => JsonDocument.Parse(await r.ReadAsTextAsync()).RootElement;

    [Fact]
    public async Task The_projections_stand_aside_while_a_run_closes_dates_and_catch_up_after_it_or_once_it_has_stalled()
    {
        await using var host = await TestHosts.StartAsync(Database, Clock, Notices, solo: false, batchSize: 10, new Dictionary<string, string>
        {
            ["Lending:CloseOfBusiness:StandAsidePollMilliseconds"] = "100",
            ["Lending:CloseOfBusiness:StandAsideStalledAfterSeconds"] = "10",
            // One event behind would otherwise be degraded.
            ["Lending:Analytics:MaxHealthyLag"] = "0",
        });
        await As(host, "admin", s => s.Put.Json(new { name = "Cash", amortization = "annuity", installments = 12, annualRate = 0.12,
            currency = "CNY" }).ToUrl("/products/CASH"));
        var loanId = Guid.NewGuid();
        await As(host, "supervisor", s =>
        {
            s.Post.Json(new { loanId, productCode = "CASH", principal = 12_000, currency = "CNY",
                borrower = new { id = "B", name = "Borrower", phone = "1", timeZone = "Asia/Shanghai" } }).ToUrl("/loans");
            s.StatusCodeShouldBe(201);
        });
        var lag = await Until(host, l => l.EventsBehind == 0 && l.Run is null, TimeSpan.FromSeconds(30));

        // A run closing dates, as AdvanceBusinessDate leaves the calendar and the run (its batches are not sent here, so
        // it moves only when the test moves it).
        var store = host.Services.GetRequiredService<IDocumentStore>();
        var run = await StartRun(store, Clock.GetUtcNow());
        await Until(host, l => l.Run == run.Id, TimeSpan.FromSeconds(10));
        await As(host, "supervisor", s =>
        {
            s.Post.Json(new { amount = 100m, reference = "P-1" }).ToUrl($"/loans/{loanId}/payments");
            s.StatusCodeShouldBe(201);
        });
        await Task.Delay(TimeSpan.FromSeconds(2));
        lag = await Lag(host);
        Assert.True(lag.EventsBehind > 0, "the daemon projected the payment while close of business ran");
        Assert.Equal(run.Id, lag.Run);
        // Behind by design: healthy, not degraded.
        await host.Scenario(s => { s.Get.Url("/health/ready"); s.StatusCodeShouldBe(200); s.ContentShouldBe("Healthy"); });
        // A bundle that needs the payment sealed is refused at once, saying why, rather than after the usual wait.
        var waited = Stopwatch.StartNew();
        var refused = await As(host, "legal", s =>
        {
            s.Get.Url($"/loans/{loanId}/evidence-bundle?asOf=2026-01-31&purpose=claim");
            s.StatusCodeShouldBe(503);
        });
        Assert.True(waited.Elapsed < TimeSpan.FromSeconds(5), $"refused after {waited.Elapsed}");
        var problem = await Json(refused);
        Assert.Equal("evidence.not_sealed_yet", problem.GetProperty("code").GetString());
        Assert.Contains("close of business", problem.GetProperty("detail").GetString());

        // The run closes a batch (it moves), then its last date: both projections (analytics, the sealed log) catch up.
        await Save(store, CobDecisions.BatchClosed(run, run.FromDate, null, new CobCursor(run.FromDate, Guid.CreateVersion7()), 10, Clock.GetUtcNow())!);
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal(run.Id, (await Lag(host)).Run);
        await Save(store, run with { Status = CobRunStatus.Completed, FinishedAt = Clock.GetUtcNow() });
        await Until(host, l => l.EventsBehind == 0 && l.Run is null, TimeSpan.FromSeconds(30));

        // A run that never moves (its message lost) holds them back only for the stall period, measured on the service clock
        // from the run's last move.
        var stalled = await StartRun(store, Clock.GetUtcNow());
        await Until(host, l => l.Run == stalled.Id, TimeSpan.FromSeconds(10));
        await As(host, "supervisor", s =>
        {
            s.Post.Json(new { amount = 100m, reference = "P-2" }).ToUrl($"/loans/{loanId}/payments");
            s.StatusCodeShouldBe(201);
        });
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.True((await Lag(host)).EventsBehind > 0);
        Clock.Advance(TimeSpan.FromSeconds(11));
        await Until(host, l => l.EventsBehind == 0 && l.Run is null, TimeSpan.FromSeconds(30));
    }

    private static async Task<CobRun> StartRun(IDocumentStore store, DateTimeOffset now)
    {
        await using var session = store.LightweightSession();
        var calendar = await session.LoadAsync<BusinessCalendar>(BusinessCalendar.DocumentId) ?? new BusinessCalendar(new DateOnly(2026, 1, 31), null);
        var run = CobDecisions.Start(calendar, 1, Guid.CreateVersion7(now), "admin-1", now);
        session.Store(run);
        session.Store(calendar with { ActiveRunId = run.Id });
        await session.SaveChangesAsync();
        return run;
    }

    /// <summary>The run as it stands now; a finished one frees the calendar.</summary>
    private static async Task Save(IDocumentStore store, CobRun run)
    {
        await using var session = store.LightweightSession();
        // Loaded first: the versions their concurrency checks expect.
        await session.LoadAsync<CobRun>(run.Id);
        var calendar = (await session.LoadAsync<BusinessCalendar>(BusinessCalendar.DocumentId))!;
        session.Store(run);
        if (run.Status != CobRunStatus.Running) session.Store(calendar with { ActiveRunId = null });
        await session.SaveChangesAsync();
    }

    private sealed record LagSeen(long EventsBehind, Guid? Run);

    private async Task<LagSeen> Lag(IAlbaHost host)
    {
        var body = await Json(await As(host, "risk_analyst", s => s.Get.Url("/analytics/projections")));
        var run = body.GetProperty("standingAsideForRun");
        return new LagSeen(body.GetProperty("projections").EnumerateArray().Max(p => p.GetProperty("eventsBehind").GetInt64()),
            run.ValueKind == JsonValueKind.Null ? null : run.GetGuid());
    }

    private async Task<LagSeen> Until(IAlbaHost host, Func<LagSeen, bool> condition, TimeSpan within)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var lag = await Lag(host);
            if (condition(lag)) return lag;
            if (watch.Elapsed > within) throw new TimeoutException($"Still {lag} after {within}");
            await Task.Delay(100);
        }
    }
}
