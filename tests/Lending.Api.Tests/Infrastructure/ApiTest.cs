using System.Net.Http.Headers;
using System.Text.Json;
using Alba;
using Lending.Api.Auth;
using Marten;
using Marten.Events;
using Microsoft.Extensions.DependencyInjection;
using Wolverine;
using Wolverine.Tracking;

namespace Lending.Api.Tests.Infrastructure;

/// <summary>Base of the HTTP tests: a clean database before each test, and helpers to act as a role.</summary>
[Collection(ApiCollection.Name)]
public abstract class ApiTest(AppFixture app) : IAsyncLifetime
{
    protected AppFixture App { get; } = app;
    protected IAlbaHost Host => App.Host;

    public virtual async Task InitializeAsync()
    {
        // The async daemon stops while the data goes, analytics tables included, and starts again from nothing. (The
        // shared host runs it Solo under an explicit coordinator, which starts it only when asked.)
        var coordinator = Host.Services.GetRequiredService<Marten.Events.Daemon.Coordination.IProjectionCoordinator>();
        await coordinator.PauseAsync();
        // The sealed log refuses deletes (row triggers); a test database starts again with TRUNCATE, which they do not see.
        var evidence = Host.Services.GetRequiredService<Lending.Projections.Evidence.EvidenceLogSchema>();
        await using (var session = App.Store.LightweightSession())
        {
            session.QueueSqlCommand($"truncate {evidence.Leaves}, {evidence.Nodes}, {evidence.Checkpoints}");
            session.QueueSqlCommand($"truncate {Host.Services.GetRequiredService<Lending.Projections.Collections.WorkQueueSchema>().Table}");
            session.QueueSqlCommand($"truncate {Host.Services.GetRequiredService<Lending.Projections.Loans.PaymentReferences>().Table}");
            await session.SaveChangesAsync();
        }
        await App.Store.Advanced.ResetAllData();
        var analytics = Host.Services.GetRequiredService<Lending.Projections.Analytics.AnalyticsSchema>();
        await using (var session = App.Store.LightweightSession())
        {
            foreach (var table in analytics.Tables) session.QueueSqlCommand($"delete from {table}");
            await session.SaveChangesAsync();
        }
        await coordinator.DaemonForMainDatabase().StartAllAsync();
    }

    /// <summary>Waits until the async projections have processed every event appended so far.</summary>
    protected Task WaitForProjections() => Host.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60));

    public Task DisposeAsync() => Task.CompletedTask;

    protected static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    protected Task<IScenarioResult> As(string role, Action<Scenario> configure, string? subject = null) =>
        Host.Scenario(s =>
        {
            s.WithRequestHeader("Authorization", $"Bearer {App.TokenFor(subject ?? $"{role}-1", role)}");
            configure(s);
        });

    protected Task<IScenarioResult> AsAdmin(Action<Scenario> configure) => As(Roles.Admin, configure);

    protected static async Task<JsonElement> ReadJson(IScenarioResult result) =>
        JsonDocument.Parse(await result.ReadAsTextAsync()).RootElement;

    /// <summary>Defines the standard test product: 12 monthly annuity instalments at 12%, in CNY.</summary>
    protected Task DefineCashProduct(string code = "CASH-12M", decimal annualRate = 0.12m, decimal rateCap = 0.24m,
        decimal lateFee = 0m) => AsAdmin(s =>
    {
        s.Put.Json(new
        {
            name = "Cash loan 12M", amortization = "annuity", installments = 12, frequency = "monthly",
            annualRate, rateCap, lateFee, currency = "CNY",
        }).ToUrl($"/products/{code}");
        s.StatusCodeShouldBeOk();
    });

    protected static object NewLoan(Guid? loanId = null, decimal principal = 12_000m, string productCode = "CASH-12M") => new
    {
        loanId, productCode, principal, currency = "CNY", region = "East", branch = "Shanghai-01",
        borrower = new
        {
            id = "B-1", name = "Wang Fang", phone = "+86-138-0000-0000", email = "wf@example.com",
            nationalId = "110101199001011234", timeZone = "Asia/Shanghai", address = "1 Road, Shanghai",
        },
    };

    protected async Task<Guid> DisburseLoan(decimal principal = 12_000m, string productCode = "CASH-12M")
    {
        var loanId = Guid.NewGuid();
        await As(Roles.Supervisor, s =>
        {
            s.Post.Json(NewLoan(loanId, principal, productCode)).ToUrl("/loans");
            s.StatusCodeShouldBe(201);
        });
        return loanId;
    }

    /// <summary>Advances the business date as an admin would and waits for the close-of-business run to finish.</summary>
    /// <param name="failuresExpected">A test of failing deliveries: handlers' exceptions are the point, not a defect.</param>
    protected async Task<JsonElement> AdvanceDays(int days, bool failuresExpected = false)
    {
        IScenarioResult? accepted = null;
        // Tracks every message the run cascades (each date's batches, each escalation's action) until all are handled.
        var tracking = Host.TrackActivity().Timeout(TimeSpan.FromSeconds(120));
        if (failuresExpected) tracking = tracking.DoNotAssertOnExceptionsDetected();
        await tracking.ExecuteAndWaitAsync((Func<IMessageContext, Task>)(async _ =>
            accepted = await AsAdmin(s => { s.Post.Json(new { days }).ToUrl("/business-date/advance"); s.StatusCodeShouldBe(202); })));
        var run = await WaitForRun((await ReadJson(accepted!)).GetProperty("runId").GetGuid());
        Assert.Equal("completed", run.GetProperty("status").GetString());
        return run;
    }

    /// <summary>Polls the run as a client would, until it leaves 'running'.</summary>
    protected async Task<JsonElement> WaitForRun(Guid runId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var run = await ReadJson(await As(Roles.Admin, s => s.Get.Url($"/cob/runs/{runId}")));
            if (run.GetProperty("status").GetString() != "running") return run;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Run {runId} still running: {run}");
            await Task.Delay(50);
        }
    }

    protected async Task<JsonElement> GetLoan(Guid loanId, string? asOf = null) =>
        await ReadJson(await As(Roles.Collector, s => s.Get.Url($"/loans/{loanId}{(asOf is null ? "" : $"?asOf={asOf}")}")));

    protected Task<IScenarioResult> Pay(Guid loanId, decimal amount, string reference, int status = 201, string? ifMatch = null) =>
        As(Roles.Supervisor, s =>
        {
            s.Post.Json(new { amount, reference }).ToUrl($"/loans/{loanId}/payments");
            if (ifMatch is not null) s.WithRequestHeader("If-Match", ifMatch);
            s.StatusCodeShouldBe(status);
        });

    protected Task Assign(Guid loanId, string collectorId) =>
        As(Roles.Supervisor, s => s.Post.Json(new { collectorId }).ToUrl($"/loans/{loanId}/assignments"));

    /// <summary>The data of a loan's events of one type (snake_case, as <c>GET /loans/{id}/events</c> names them).</summary>
    protected async Task<List<JsonElement>> LoanEvents(Guid loanId, string type) =>
        (await ReadJson(await As(Roles.Legal, s => s.Get.Url($"/loans/{loanId}/events")))).EnumerateArray()
        .Where(e => e.GetProperty("type").GetString() == type).Select(e => e.GetProperty("data")).ToList();

    /// <summary>
    /// Moves the shared test clock forward to <paramref name="time"/> in Shanghai (the test borrowers' zone) on a day after
    /// wherever it stands: notices are judged against the borrower's contact window at the clock's time.
    /// </summary>
    protected void ClockAtShanghai(TimeOnly time)
    {
        var next = DateOnly.FromDateTime(App.Clock.GetUtcNow().UtcDateTime).AddDays(2);
        App.Clock.SetUtcNow(new DateTimeOffset(next.ToDateTime(time), TimeSpan.FromHours(8)).ToUniversalTime());
    }

    protected async Task<int> EventCount(Guid streamId)
    {
        await using var session = App.Store.QuerySession();
        return (await session.Events.FetchStreamAsync(streamId)).Count;
    }
}
