using System.Text.Json;
using Lending.Api.Auth;
using Lending.Api.Tests.Infrastructure;

namespace Lending.Api.Tests.Escalation;

/// <summary>
/// The ladder's own notices through the conduct guard, end to end. CASH-12M disbursed 31 Jan 2026; instalment 1 falls
/// due on 28 Feb: the reminder goes out on 1 Mar (DPD 1), the demand letter on 30 Apr (DPD 61). Borrower in Shanghai.
/// </summary>
public class NoticeConductHttpTests(AppFixture app) : ApiTest(app)
{
    [Fact]
    public async Task A_loan_under_cease_contact_gets_no_notice_across_the_ladder_and_the_events_say_why()
    {
        ClockAtShanghai(new TimeOnly(10, 0));
        await DefineCashProduct();
        var loanId = await DisburseLoan();
        await As(Roles.Supervisor, s =>
        {
            s.Post.Json(new { reason = "Written request of 2 Feb to stop contact" }).ToUrl($"/loans/{loanId}/cease-contact");
            s.StatusCodeShouldBeOk();
        });

        await AdvanceDays(28 + 61); // past reminder and demand

        Assert.Equal("demand", (await GetLoan(loanId)).GetProperty("stage").GetString());
        Assert.Empty(await LoanEvents(loanId, "notice_sent"));
        var suppressed = await LoanEvents(loanId, "notice_suppressed");
        Assert.Equal(["reminder", "demand_letter"], suppressed.Select(n => n.GetProperty("kind").GetString()));
        Assert.All(suppressed, n => Assert.Equal(["conduct.cease_contact"], n.GetProperty("rules").EnumerateArray().Select(r => r.GetString())));
    }

    [Fact]
    public async Task A_reminder_due_before_the_window_is_held_and_delivered_once_when_it_opens()
    {
        ClockAtShanghai(new TimeOnly(7, 59, 57));
        await DefineCashProduct();
        var loanId = await DisburseLoan();

        await AdvanceDays(28 + 1); // the reminder falls due at 07:59:57 in Shanghai

        var held = Assert.Single(await LoanEvents(loanId, "notice_held"));
        Assert.Equal("conduct.outside_hours", held.GetProperty("rule").GetString());
        Assert.Equal(8, held.GetProperty("until").GetDateTimeOffset().ToOffset(TimeSpan.FromHours(8)).Hour);
        Assert.Empty(await LoanEvents(loanId, "notice_sent"));

        App.Clock.Advance(TimeSpan.FromSeconds(5)); // the window opens
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while ((await LoanEvents(loanId, "notice_sent")).Count == 0 && DateTime.UtcNow < deadline) await Task.Delay(250);

        var sent = Assert.Single(await LoanEvents(loanId, "notice_sent"));
        Assert.Equal(held.GetProperty("noticeId").GetString(), sent.GetProperty("noticeId").GetString());
        await Task.Delay(TimeSpan.FromSeconds(6)); // whatever is still scheduled finds it sent
        Assert.Single(await LoanEvents(loanId, "notice_sent"));
        Assert.Single(await LoanEvents(loanId, "notice_held"));
    }
}
