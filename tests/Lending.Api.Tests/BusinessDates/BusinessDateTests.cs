using Lending.Api.Auth;
using Lending.Api.Tests.Infrastructure;
using Lending.Api.BusinessDates;
using Lending.Domain.CloseOfBusiness;
using Wolverine.Tracking;

namespace Lending.Api.Tests.BusinessDates;

public class BusinessDateTests(AppFixture app) : ApiTest(app)
{
    [Fact]
    public async Task A_new_database_starts_on_the_configured_business_date()
    {
        var body = await ReadJson(await As(Roles.Collector, s => s.Get.Url("/business-date")));
        Assert.Equal("2026-01-31", body.GetProperty("businessDate").GetString());
    }

    [Fact]
    public async Task Advancing_runs_close_of_business_for_each_day_and_moves_the_date()
    {
        var accepted = await AsAdmin(s =>
        {
            s.Post.Json(new { days = 3 }).ToUrl("/business-date/advance");
            s.StatusCodeShouldBe(202);
        });
        var runId = (await ReadJson(accepted)).GetProperty("runId").GetGuid();
        Assert.Equal($"/cob/runs/{runId}", accepted.Context.Response.Headers.Location.ToString());

        var run = await WaitForRun(runId);
        Assert.Equal("completed", run.GetProperty("status").GetString());
        Assert.Equal("2026-02-03", run.GetProperty("businessDate").GetString());
        Assert.Equal("2026-02-01", run.GetProperty("fromDate").GetString());
        Assert.Equal(3, run.GetProperty("daysClosed").GetInt32());
        Assert.Equal("admin-1", run.GetProperty("requestedBy").GetString());

        var date = await ReadJson(await As(Roles.Collector, s => s.Get.Url("/business-date")));
        Assert.Equal("2026-02-03", date.GetProperty("businessDate").GetString());
    }

    [Fact]
    public async Task Advancing_twice_continues_from_where_the_first_run_ended()
    {
        await WaitForRun(await Advance(1));
        await WaitForRun(await Advance(2));

        var date = await ReadJson(await As(Roles.Collector, s => s.Get.Url("/business-date")));
        Assert.Equal("2026-02-03", date.GetProperty("businessDate").GetString());
    }

    [Fact]
    public async Task A_redelivered_close_of_business_message_closes_nothing_twice()
    {
        var runId = await Advance(2);
        await WaitForRun(runId);

        await Host.InvokeMessageAndWaitAsync(new CloseBusinessDate(runId, new DateOnly(2026, 2, 1)));
        await Host.InvokeMessageAndWaitAsync(new CloseBusinessDate(runId, new DateOnly(2026, 2, 2)));

        var run = await ReadJson(await As(Roles.Admin, s => s.Get.Url($"/cob/runs/{runId}")));
        Assert.Equal(2, run.GetProperty("daysClosed").GetInt32());
        var date = await ReadJson(await As(Roles.Collector, s => s.Get.Url("/business-date")));
        Assert.Equal("2026-02-02", date.GetProperty("businessDate").GetString());
    }

    [Fact]
    public async Task A_run_cannot_start_while_another_is_running()
    {
        await using (var session = App.Store.LightweightSession())
        {
            session.Store(new BusinessCalendar(AppFixture.StartDate, ActiveRunId: Guid.NewGuid()));
            await session.SaveChangesAsync();
        }

        var result = await AsAdmin(s => { s.Post.Json(new { days = 1 }).ToUrl("/business-date/advance"); s.StatusCodeShouldBe(409); });
        await result.ShouldBeProblem(409, "cob.run_in_progress");
    }

    [Fact]
    public async Task Days_are_required_and_bounded()
    {
        await (await AsAdmin(s => { s.Post.Json(new { }).ToUrl("/business-date/advance"); s.StatusCodeShouldBe(400); }))
            .ShouldBeProblem(400, "request.invalid");
        await (await AsAdmin(s => { s.Post.Json(new { days = 0 }).ToUrl("/business-date/advance"); s.StatusCodeShouldBe(422); }))
            .ShouldBeProblem(422, "business_date.days_out_of_range");
    }

    [Fact]
    public async Task An_unknown_run_is_404() =>
        await (await As(Roles.Supervisor, s => { s.Get.Url($"/cob/runs/{Guid.NewGuid()}"); s.StatusCodeShouldBe(404); }))
            .ShouldBeProblem(404, "cob.run_not_found");

    private async Task<Guid> Advance(int days)
    {
        var accepted = await AsAdmin(s => { s.Post.Json(new { days }).ToUrl("/business-date/advance"); s.StatusCodeShouldBe(202); });
        return (await ReadJson(accepted)).GetProperty("runId").GetGuid();
    }

}
