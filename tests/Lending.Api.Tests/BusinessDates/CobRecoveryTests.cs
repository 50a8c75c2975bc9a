using Lending.Api.Auth;
using Lending.Api.BusinessDates;
using Lending.Api.Tests.Infrastructure;
using Lending.Domain.CloseOfBusiness;
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

        await AsAdmin(s => { s.Post.Json(new { note = "node lost" }).ToUrl($"/cob/runs/{run.Id}/resume"); s.StatusCodeShouldBe(202); });
        var finished = await WaitForRun(run.Id);

        Assert.Equal("completed", finished.GetProperty("status").GetString());
        Assert.Equal("2026-03-02", (await ReadJson(await As(Roles.Collector, s => s.Get.Url("/business-date")))).GetProperty("businessDate").GetString());
        await (await AsAdmin(s => { s.Post.Json(new { }).ToUrl($"/cob/runs/{run.Id}/resume"); s.StatusCodeShouldBe(409); }))
            .ShouldBeProblem(409, "cob.run_completed");
    }
}
