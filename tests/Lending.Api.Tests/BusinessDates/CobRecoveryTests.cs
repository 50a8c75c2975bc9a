using Lending.Api.Auth;
using Lending.Api.BusinessDates;
using Lending.Api.Tests.Infrastructure;
using Lending.Api.Setup;
using Lending.Domain.CloseOfBusiness;
using Lending.Domain.Escalation;
using Lending.Domain.Loans;
using Lending.Domain.Loans.Delinquency;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Wolverine.Runtime;
using Wolverine.Tracking;

namespace Lending.Api.Tests.BusinessDates;

/// <summary>What happens when a run stops half way: nothing is done twice, and an operator can take it up again.</summary>
public class CobRecoveryTests(AppFixture app) : ApiTest(app)
{
    private static readonly DateOnly March1 = new(2026, 3, 1);

    private async Task<List<Guid>> FiveLoansInArrearsOnMarch1()
    {
        await DefineCashProduct();
        var loans = new List<Guid>();
        for (var i = 0; i < 5; i++) loans.Add(await DisburseLoan());
        await AdvanceDays(29); // 1 Mar: instalment 1 (due 28 Feb) unpaid on all five
        return loans;
    }

    /// <summary>A run that stopped before closing 2 Mar, as if its node died with the message undelivered.</summary>
    private async Task<CobRun> StoppedRun()
    {
        var run = new CobRun(Guid.NewGuid(), March1.AddDays(1), March1.AddDays(1), CobRunStatus.Running, null, 0, 0, "admin-1",
            App.Clock.GetUtcNow(), null, null);
        await using var session = App.Store.LightweightSession();
        await session.LoadAsync<BusinessCalendar>(BusinessCalendar.DocumentId); // the calendar is versioned: load before replacing
        session.Store(run);
        session.Store(new BusinessCalendar(March1, run.Id));
        await session.SaveChangesAsync();
        return run;
    }

    [Fact]
    public async Task Redelivered_batches_of_a_date_accrue_nothing_twice()
    {
        var loans = await FiveLoansInArrearsOnMarch1();
        var run = await StoppedRun();
        var counts = new Dictionary<Guid, int>();
        foreach (var id in loans) counts[id] = await EventCount(id);

        var first = new CloseBusinessDate(run.Id, March1.AddDays(1));
        await Host.InvokeMessageAndWaitAsync(first);             // closes 2 Mar in three batches of at most two loans
        await Host.InvokeMessageAndWaitAsync(first);             // the first batch again, as after a crash before its ack
        var secondBatch = new CloseBusinessDate(run.Id, March1.AddDays(1), new CobCursor(new DateOnly(2026, 2, 28), loans.Order().ElementAt(1)));
        await Host.InvokeMessageAndWaitAsync(secondBatch);

        foreach (var id in loans) Assert.Equal(counts[id], await EventCount(id)); // DPD 2 on 2 Mar: no new bucket, no penalty
        var closed = await ReadJson(await As(Roles.Admin, s => s.Get.Url($"/cob/runs/{run.Id}")));
        Assert.Equal(("completed", 5), (closed.GetProperty("status").GetString(), closed.GetProperty("loansProcessed").GetInt32()));
    }

    [Fact]
    public async Task An_operator_resumes_a_stopped_run_and_it_finishes()
    {
        await FiveLoansInArrearsOnMarch1();
        var run = await StoppedRun();
        await (await AsAdmin(s => { s.Post.Json(new { days = 1 }).ToUrl("/business-date/advance"); s.StatusCodeShouldBe(409); }))
            .ShouldBeProblem(409, "cob.run_in_progress");

        // Stopped: it last moved when it started (a run stored before runs kept that instant counts from its start).
        var stopped = await ReadJson(await As(Roles.Admin, s => s.Get.Url($"/cob/runs/{run.Id}")));
        Assert.Equal(run.StartedAt, stopped.GetProperty("lastMovedAt").GetDateTimeOffset());
        App.Clock.Advance(TimeSpan.FromMinutes(10));

        var resumed = await ReadJson(await AsAdmin(s => { s.Post.Json(new { note = "node lost" }).ToUrl($"/cob/runs/{run.Id}/resume"); s.StatusCodeShouldBe(202); }));
        Assert.Equal(App.Clock.GetUtcNow(), resumed.GetProperty("lastMovedAt").GetDateTimeOffset());
        var finished = await WaitForRun(run.Id);

        Assert.Equal("completed", finished.GetProperty("status").GetString());
        Assert.Equal("2026-03-02", (await ReadJson(await As(Roles.Collector, s => s.Get.Url("/business-date")))).GetProperty("businessDate").GetString());
        await (await AsAdmin(s => { s.Post.Json(new { }).ToUrl($"/cob/runs/{run.Id}/resume"); s.StatusCodeShouldBe(409); }))
            .ShouldBeProblem(409, "cob.run_completed");
    }

    [Fact]
    public async Task A_payment_racing_a_batch_costs_a_retry_of_its_loan_only_and_the_loan_is_closed_on_the_paid_state()
    {
        // Daytime in Shanghai: every notice goes out while the dates close, none is held to move a loan during the race.
        ClockAtShanghai(new TimeOnly(10, 0));
        var loans = await FiveLoansInArrearsOnMarch1();
        await AdvanceDays(9); // 10 Mar: DPD 10, a day's penalty on each loan every date
        var march11 = new DateOnly(2026, 3, 11);
        var raced = loans[2];
        // One part of five loans, as a batch on a one-core node: the race hits a transaction closing five loans.
        var closer = new CloseOfBusinessBatch(App.Store, Host.Services.GetRequiredService<IWolverineRuntime>(),
            Host.Services.GetRequiredService<BucketPolicy>(), Host.Services.GetRequiredService<EscalationLadder>(),
            Host.Services.GetRequiredService<Lending.Domain.LendingPolicy>(),
            Options.Create(new LendingOptions { CloseOfBusiness = { Parallelism = 1 } }), NullLogger<CloseOfBusinessBatch>.Instance);
        var loadedBefore = new Dictionary<Guid, int>();
        foreach (var id in loans) loadedBefore[id] = await EventCount(id);
        SaveRace.Instance.Arm(raced, () => Pay(raced, 500m, "RACE-1"));

        var retried = await closer.CloseAsync(loans, march11, default);

        Assert.Equal(1, retried);
        await using var session = App.Store.QuerySession();
        foreach (var id in loans)
        {
            var events = await session.Events.FetchStreamAsync(id);
            Assert.Single(events, e => e.Data is PenaltyAccrued p && p.BusinessDate == march11);
            Assert.Equal(events.Count, (await session.LoadAsync<Loan>(id))!.Version);
        }
        // The raced loan was closed after the payment, on the state the payment left.
        var racedEvents = await session.Events.FetchStreamAsync(raced);
        Assert.True(racedEvents.Single(e => e.Data is PaymentReceived { Reference: "RACE-1" }).Version
            < racedEvents.Single(e => e.Data is PenaltyAccrued p && p.BusinessDate == march11).Version);
        Assert.Equal(loadedBefore[raced] + 2, racedEvents.Count);
    }
}
