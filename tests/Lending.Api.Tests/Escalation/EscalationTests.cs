using System.Text.Json;
using Lending.Api.Auth;
using Lending.Api.Tests.Infrastructure;

namespace Lending.Api.Tests.Escalation;

/// <summary>CASH-12M disbursed 31 Jan 2026; instalment 1 falls due on 28 Feb, so DPD n is 28 Feb + n days.</summary>
public class EscalationTests(AppFixture app) : ApiTest(app)
{
    private Guid _loanId;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await DefineCashProduct();
        _loanId = await DisburseLoan();
    }

    private async Task<List<JsonElement>> Events(string type) =>
        (await ReadJson(await As(Roles.Legal, s => s.Get.Url($"/loans/{_loanId}/events")))).EnumerateArray()
        .Where(e => e.GetProperty("type").GetString() == type).Select(e => e.GetProperty("data")).ToList();

    private async Task AdvanceToDpd(int dpd)
    {
        var today = DateOnly.Parse((await ReadJson(await As(Roles.Admin, s => s.Get.Url("/business-date")))).GetProperty("businessDate").GetString()!);
        await AdvanceDays(new DateOnly(2026, 2, 28).AddDays(dpd).DayNumber - today.DayNumber);
    }

    private async Task<string> Stage() => (await GetLoan(_loanId)).GetProperty("stage").GetString()!;

    [Fact]
    public async Task A_loan_walks_up_every_stage_with_each_action_done_once()
    {
        await AdvanceToDpd(1);
        Assert.Equal("reminder", await Stage());
        var reminder = Assert.Single(await Events("notice_sent"));
        Assert.Equal("reminder", reminder.GetProperty("kind").GetString());
        Assert.Contains("1,066.19 CNY", reminder.GetProperty("text").GetString());
        Assert.True(File.Exists(Path.Combine(App.NoticeDirectory, reminder.GetProperty("noticeId").GetString() + ".txt")));

        await AdvanceToDpd(4);
        Assert.Equal(("early_collection", "early-collections"), (await Stage(), (await GetLoan(_loanId)).GetProperty("assignedTo").GetString()));

        await AdvanceToDpd(31);
        Assert.Equal(("late_collection", "senior-collections"), (await Stage(), (await GetLoan(_loanId)).GetProperty("assignedTo").GetString()));

        await AdvanceToDpd(61);
        Assert.Equal("demand", await Stage());
        var letter = (await Events("notice_sent")).Single(n => n.GetProperty("kind").GetString() == "demand_letter");
        Assert.Contains("催告函", letter.GetProperty("text").GetString());
        Assert.Contains("61 days past due", letter.GetProperty("text").GetString());
        Assert.Contains("within 21 days of this letter", letter.GetProperty("text").GetString()); // Lending:Policy:DemandResponseDays

        await AdvanceToDpd(91);
        Assert.Equal("legal_review", await Stage());
        Assert.Single(await Events("legal_referral_made"));

        await AdvanceToDpd(180);
        Assert.Equal("write_off", await Stage());

        var escalations = await Events("loan_escalated");
        Assert.Equal(["reminder", "early_collection", "late_collection", "demand", "legal_review", "write_off"],
            escalations.Select(e => e.GetProperty("to").GetString()));
        Assert.All(escalations, e => Assert.False(string.IsNullOrEmpty(e.GetProperty("reason").GetString())));
        Assert.Equal(2, (await Events("notice_sent")).Count); // one reminder, one demand letter: nothing twice

        // The write-off stage proposes a charge-off; a supervisor approves it; what comes in afterwards is a recovery.
        var pending = (await GetLoan(_loanId)).GetProperty("pendingWriteOff");
        Assert.Equal(("escalation", 180), (pending.GetProperty("proposedBy").GetString(), pending.GetProperty("dpd").GetInt32()));

        // Rejected, the proposal comes back from the ladder 30 days later (Lending:Policy:WriteOffReproposeDays), the
        // loan still qualifying.
        await As(Roles.Supervisor, s =>
        {
            s.Post.Json(new { reason = "The family promised to settle" }).ToUrl($"/loans/{_loanId}/write-off/reject");
            s.StatusCodeShouldBeOk();
        });
        Assert.Equal(System.Text.Json.JsonValueKind.Null, (await GetLoan(_loanId)).GetProperty("pendingWriteOff").ValueKind);
        await AdvanceDays(29);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, (await GetLoan(_loanId)).GetProperty("pendingWriteOff").ValueKind);
        await AdvanceDays(1);
        pending = (await GetLoan(_loanId)).GetProperty("pendingWriteOff");
        Assert.Equal(("escalation", 210, 180), (pending.GetProperty("proposedBy").GetString(), pending.GetProperty("dpd").GetInt32(),
            pending.GetProperty("minDpd").GetInt32()));
        await As(Roles.Collector, s => { s.Post.Json(new { }).ToUrl($"/loans/{_loanId}/write-off/approve"); s.StatusCodeShouldBe(403); });
        await As(Roles.Supervisor, s => s.Post.Json(new { note = "No contact for six months" }).ToUrl($"/loans/{_loanId}/write-off/approve"));
        var writtenOff = await GetLoan(_loanId);
        Assert.Equal("written_off", writtenOff.GetProperty("status").GetString());
        var penaltyAtWriteOff = writtenOff.GetProperty("penaltyOutstanding").GetDecimal();

        var recovery = await ReadJson(await Pay(_loanId, 1_000m, "recovery-1"));
        Assert.True(recovery.GetProperty("recovery").GetBoolean());
        await AdvanceDays(10);
        Assert.Equal(penaltyAtWriteOff - recovery.GetProperty("penalty").GetDecimal(),
            (await GetLoan(_loanId)).GetProperty("penaltyOutstanding").GetDecimal()); // nothing accrues after charge-off
        await (await As(Roles.Supervisor, s => { s.Post.Json(new { }).ToUrl($"/loans/{_loanId}/write-off/approve"); s.StatusCodeShouldBe(409); }))
            .ShouldBeProblem(409, "write_off.no_proposal");
    }

    [Fact]
    public async Task A_notice_sent_while_the_loan_moves_is_recorded_once_and_sent_once()
    {
        // A payment lands on the loan between the reminder's send and its record: the record's save finds the loan moved.
        SaveRace.Instance.Arm(_loanId, () => Pay(_loanId, 10m, "RACE-NOTICE"), e => e is Lending.Domain.Escalation.NoticeSent);

        await AdvanceToDpd(1);

        var reminder = Assert.Single(await Events("notice_sent"));
        Assert.Equal(1, NoticeSends.Counts[reminder.GetProperty("noticeId").GetString()!]);
        Assert.Single(await Events("payment_received"), p => p.GetProperty("reference").GetString() == "RACE-NOTICE");
    }

    [Fact]
    public async Task Advancing_again_over_closed_dates_repeats_no_stage_and_no_notice()
    {
        await AdvanceToDpd(5);
        var run = await ReadJson(await As(Roles.Admin, s => s.Get.Url("/business-date")));
        Assert.Equal("2026-03-05", run.GetProperty("businessDate").GetString());

        await AdvanceDays(1);

        Assert.Equal(2, (await Events("loan_escalated")).Count);
        Assert.Single(await Events("notice_sent"));
        Assert.Single(await Events("loan_assigned"));
    }

    [Fact]
    public async Task Two_broken_promises_accelerate_the_loan_to_late_collection()
    {
        var past = new DateTimeOffset(2026, 3, 10, 0, 0, 0, TimeSpan.Zero);
        if (App.Clock.GetUtcNow() < past) App.Clock.SetUtcNow(past);
        foreach (var (today, due) in new[] { ("2026-03-02", "2026-03-03"), ("2026-03-04", "2026-03-05") })
        {
            await AdvanceToDpd(DateOnly.Parse(today).DayNumber - new DateOnly(2026, 2, 28).DayNumber);
            await As(Roles.Supervisor, s =>
            {
                s.Post.Json(new
                {
                    channel = "phone", direction = "outbound", party = "borrower", outcome = "promise_to_pay",
                    occurredAt = $"{today}T10:00:00+08:00", summary = "Promised to pay 300", promise = new { amount = 300, dueOn = due },
                }).ToUrl($"/loans/{_loanId}/contacts");
                s.StatusCodeShouldBe(201);
            });
        }
        await AdvanceToDpd(6); // 6 Mar: both promises broken, DPD only 6

        Assert.Equal("late_collection", await Stage());
        var late = (await Events("loan_escalated")).Single(e => e.GetProperty("to").GetString() == "late_collection");
        Assert.Equal("2 broken promises", late.GetProperty("reason").GetString());
        Assert.Equal(2, (await Events("promise_broken")).Count);
    }

    [Fact]
    public async Task A_payment_that_cures_the_loan_takes_it_off_the_ladder_at_once()
    {
        await AdvanceToDpd(10);
        Assert.Equal("early_collection", await Stage());
        var owed = (await GetLoan(_loanId)).GetProperty("arrears").GetDecimal() + (await GetLoan(_loanId)).GetProperty("penaltyOutstanding").GetDecimal();

        await Pay(_loanId, owed, "cure");

        Assert.Equal("none", await Stage());
        Assert.Equal("early_collection", Assert.Single(await Events("loan_cured")).GetProperty("from").GetString());
    }
}

public class ProductLadderTests(AppFixture app) : ApiTest(app)
{
    [Fact]
    public async Task A_product_can_bring_its_own_ladder()
    {
        await AsAdmin(s => s.Put.Json(new
        {
            name = "Short ladder", amortization = "annuity", installments = 12, annualRate = 0.12, currency = "CNY",
            ladder = new object[]
            {
                new { stage = "reminder", action = "reminder_notice", minDpd = 2 },
                new { stage = "legal_review", action = "legal_referral", minDpd = 10 },
            },
        }).ToUrl("/products/SHORT"));
        var product = await ReadJson(await As(Roles.Collector, s => s.Get.Url("/products/SHORT")));
        Assert.Equal(2, product.GetProperty("ladder").GetArrayLength());
        var loanId = await DisburseLoan(productCode: "SHORT");

        await AdvanceDays(28 + 1);
        Assert.Equal("none", (await GetLoan(loanId)).GetProperty("stage").GetString());
        await AdvanceDays(9);
        Assert.Equal("legal_review", (await GetLoan(loanId)).GetProperty("stage").GetString());

        await (await AsAdmin(s =>
        {
            s.Put.Json(new { name = "Bad", amortization = "annuity", installments = 12, annualRate = 0.12, currency = "CNY",
                ladder = new object[] { new { stage = "demand", action = "demand_letter", minDpd = 60 }, new { stage = "reminder", action = "reminder_notice", minDpd = 1 } } })
                .ToUrl("/products/BAD");
            s.StatusCodeShouldBe(422);
        })).ShouldBeProblem(422, "product.ladder_order");
    }
}
