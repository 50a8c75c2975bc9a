using System.Text.Json;
using Lending.Api.Auth;
using Lending.Api.Tests.Infrastructure;

namespace Lending.Api.Tests.Notifications;

/// <summary>
/// A channel that refuses: each failure is an event, Wolverine retries with backoff, then the action waits in the dead
/// letters for an admin (<c>GET /notices/failed</c>), who retries it once the channel works again.
/// </summary>
public class FailedNoticeTests(AppFixture app) : ApiTest(app)
{
    private async Task<JsonElement?> FailedFor(Guid loanId) =>
        (await ReadJson(await AsAdmin(s => s.Get.Url("/notices/failed")))).GetProperty("failed").EnumerateArray()
        .Where(f => f.GetProperty("loanId").GetGuid() == loanId).Cast<JsonElement?>().FirstOrDefault();

    private static async Task<T> Eventually<T>(Func<Task<T>> read, Func<T, bool> done, int seconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var value = await read();
            if (done(value) || DateTime.UtcNow > deadline) return value;
            await Task.Delay(250);
        }
    }

    [Fact]
    public async Task A_refusing_gateway_leads_to_failure_events_retries_and_a_visible_dead_letter_that_an_admin_retries()
    {
        ClockAtShanghai(new TimeOnly(10, 0));
        await DefineCashProduct();
        var loanId = Guid.NewGuid();
        await As(Roles.Supervisor, s =>
        {
            s.Post.Json(new
            {
                loanId, productCode = "CASH-12M", principal = 5_000m, currency = "CNY",
                borrower = new { id = "B-7", name = "韩梅梅", timeZone = "Asia/Shanghai" }, // no phone, no e-mail: the app channel
            }).ToUrl("/loans");
            s.StatusCodeShouldBe(201);
        });
        App.Gateway.Failing = true;
        try
        {
            await AdvanceDays(28 + 1, failuresExpected: true);

            var failed = await Eventually(() => FailedFor(loanId), f => f is not null);
            Assert.True(failed is not null, string.Join(", ", (await ReadJson(await As(Roles.Legal, s => s.Get.Url($"/loans/{loanId}/events"))))
                .EnumerateArray().Select(e => e.GetProperty("type").GetString())) + " | " + (await AsAdmin(s => s.Get.Url("/notices/failed"))).ReadAsText()
                + $" | gateway refused {App.Gateway.Refused}, received {App.Gateway.Received.Count} | attempts "
                + string.Join(",", (await LoanEvents(loanId, "notice_delivery_failed")).Select(f => f.GetProperty("attempt").GetInt32())));
            Assert.Equal(("Reminder", "ReminderNotice"), (failed.Value.GetProperty("stage").GetString(), failed.Value.GetProperty("action").GetString()));
            Assert.Contains("503", failed.Value.GetProperty("error").GetString());
            var failures = await LoanEvents(loanId, "notice_delivery_failed");
            var attempts = failures.Select(f => f.GetProperty("attempt").GetInt32()).ToList();
            Assert.True(attempts.Count >= 3 && attempts.SequenceEqual(Enumerable.Range(1, attempts.Count)), string.Join(",", attempts));
            Assert.All(failures, f => Assert.Equal("sms-gateway", f.GetProperty("adapter").GetString()));
            Assert.Empty(await LoanEvents(loanId, "notice_sent"));

            App.Gateway.Failing = false;
            var retry = await AsAdmin(s =>
            {
                s.Post.Url($"/notices/failed/{failed.Value.GetProperty("id").GetGuid()}/retry");
                s.StatusCodeShouldBe(202);
            });
            Assert.Equal("retry_requested", (await ReadJson(retry)).GetProperty("status").GetString());

            var sent = await Eventually(() => LoanEvents(loanId, "notice_sent"), s => s.Count > 0);
            Assert.Equal("sms-gateway", Assert.Single(sent).GetProperty("delivery").GetString());
            await (await AsAdmin(s => { s.Post.Url($"/notices/failed/{Guid.NewGuid()}/retry"); s.StatusCodeShouldBe(404); }))
                .ShouldBeProblem(404, "notice.failed_not_found");
        }
        finally
        {
            App.Gateway.Failing = false;
        }
    }
}
