using Microsoft.Extensions.DependencyInjection;
using System.Text.Json;
using Lending.Api.Auth;
using Lending.Api.Tests.Infrastructure;

namespace Lending.Api.Tests.Collections;

/// <summary>
/// A collector's day through the API. The loan (CN-NIFA profile) belongs to a borrower in Asia/Shanghai; the business
/// date starts on 31 Jan 2026 and instalment 1 falls due on 28 Feb.
/// </summary>
public class CollectionsTests(AppFixture app) : ApiTest(app)
{
    private Guid _loanId;
    private const string Agent = "agent-7";

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        // Contacts are recorded after they happen: the service clock must be past the ones these tests record.
        var past = new DateTimeOffset(2026, 3, 10, 0, 0, 0, TimeSpan.Zero);
        if (App.Clock.GetUtcNow() < past) App.Clock.SetUtcNow(past);
        await DefineCashProduct();
        _loanId = await DisburseLoan();
        await Assign(_loanId, Agent);
    }

    private static object Contact(string outcome = "no_answer", string at = "2026-01-31T10:00:00+08:00", string party = "borrower",
        object? promise = null, object? @override = null, string channel = "phone") => new
    {
        channel, direction = "outbound", party, outcome, occurredAt = at, summary = "Called about the February instalment", promise,
        @override,
    };

    private Task<IScenarioResult> Record(object contact, int status = 201, string role = Roles.Collector, string subject = Agent) =>
        As(role, s => { s.Post.Json(contact).ToUrl($"/loans/{_loanId}/contacts"); s.StatusCodeShouldBe(status); }, subject);

    [Fact]
    public async Task A_contact_is_recorded_with_the_acting_agent_and_read_back_newest_last()
    {
        await Record(Contact(at: "2026-01-31T11:00:00+08:00"));
        await Record(Contact("left_message", at: "2026-01-31T09:00:00+08:00", channel: "sms"));

        var contacts = (await ReadJson(await As(Roles.Supervisor, s => s.Get.Url($"/loans/{_loanId}/contacts")))).EnumerateArray().ToList();
        Assert.Equal(["sms", "phone"], contacts.Select(c => c.GetProperty("channel").GetString()));
        Assert.All(contacts, c => Assert.Equal(Agent, c.GetProperty("agent").GetString()));
        Assert.Equal("Called about the February instalment", contacts[1].GetProperty("summary").GetString());
    }

    [Fact]
    public async Task The_conduct_guard_refuses_a_call_at_night_naming_the_rule()
    {
        var refused = await Record(Contact(at: "2026-01-31T22:00:00+08:00"), 422);
        await refused.ShouldBeProblem(422, "conduct.outside_hours");
        Assert.Equal(["conduct.outside_hours"], (await ReadJson(refused)).GetProperty("violations").EnumerateArray().Select(v => v.GetString()));
        Assert.Equal(2 + 1, await EventCount(_loanId)); // disbursed, schedule, assigned: nothing written
    }

    [Fact]
    public async Task The_fourth_call_of_a_day_is_refused_and_a_supervisor_may_override_it_with_a_reason()
    {
        for (var h = 9; h < 12; h++) await Record(Contact(at: $"2026-01-31T{h:00}:00:00+08:00"));
        await (await Record(Contact(at: "2026-01-31T15:00:00+08:00"), 422)).ShouldBeProblem(422, "conduct.frequency_cap");
        await (await Record(Contact(at: "2026-01-31T15:00:00+08:00", @override: new { reason = "x" }), 403))
            .ShouldBeProblem(403, "conduct.override_not_allowed");

        var overridden = await ReadJson(await Record(Contact(at: "2026-01-31T15:00:00+08:00",
            @override: new { reason = "Borrower asked us to call back at 15:00" }), role: Roles.Supervisor, subject: "sup-1"));

        Assert.Equal("sup-1", overridden.GetProperty("override").GetProperty("overriddenBy").GetString());
        var events = await ReadJson(await As(Roles.Legal, s => s.Get.Url($"/loans/{_loanId}/events")));
        Assert.Contains(events.EnumerateArray(), e => e.GetProperty("type").GetString() == "conduct_rule_overridden");
    }

    [Fact]
    public async Task Cease_contact_and_an_open_complaint_block_outbound_contact_until_resolved()
    {
        var complaint = await ReadJson(await As(Roles.Collector, s =>
        {
            s.Post.Json(new { category = "harassment", description = "Calls at work" }).ToUrl($"/loans/{_loanId}/complaints");
            s.StatusCodeShouldBe(201);
        }, Agent));
        await (await Record(Contact(), 422)).ShouldBeProblem(422, "conduct.open_complaint");

        var complaintId = complaint.GetProperty("complaintId").GetGuid();
        await As(Roles.Collector, s => { s.Post.Json(new { resolution = "x" }).ToUrl($"/loans/{_loanId}/complaints/{complaintId}/resolve"); s.StatusCodeShouldBe(403); });
        await As(Roles.Supervisor, s => s.Post.Json(new { resolution = "Calls moved to evenings" }).ToUrl($"/loans/{_loanId}/complaints/{complaintId}/resolve"));
        await Record(Contact());

        await As(Roles.Collector, s => s.Post.Json(new { reason = "Letter of 30 Jan asking us to stop" }).ToUrl($"/loans/{_loanId}/cease-contact"), Agent);
        await (await Record(Contact("no_answer", at: "2026-01-31T12:00:00+08:00"), 422)).ShouldBeProblem(422, "conduct.cease_contact");
        Assert.True((await GetLoan(_loanId)).GetProperty("ceaseContact").GetBoolean());
        await Record(new { channel = "phone", direction = "inbound", party = "borrower", outcome = "right_party_contact",
            occurredAt = "2026-01-31T23:30:00+08:00", summary = "Borrower called in" });
    }

    [Fact]
    public async Task Collectors_act_only_on_loans_in_their_queue_and_risk_analysts_not_at_all()
    {
        await (await Record(Contact(), 403, subject: "agent-8")).ShouldBeProblem(403, "loan.not_assigned_to_you");
        await Record(Contact(), 403, role: Roles.RiskAnalyst);
        await As(Roles.Collector, s => { s.Post.Json(new { collectorId = "agent-8" }).ToUrl($"/loans/{_loanId}/assignments"); s.StatusCodeShouldBe(403); });
        await As(Roles.Collector, s => { s.Post.Json(new { amount = 10, reference = "r" }).ToUrl($"/loans/{_loanId}/payments"); s.StatusCodeShouldBe(403); }, "agent-8");
        await As(Roles.Collector, s => { s.Post.Json(new { amount = 10, reference = "r" }).ToUrl($"/loans/{_loanId}/payments"); s.StatusCodeShouldBe(201); }, Agent);
    }

    /// <summary>
    /// Puts the shared test clock at 17:00 in Shanghai (09:00 UTC) on a day after both the clock and the business date,
    /// and the business date <paramref name="aheadBy"/> days after that day.
    /// </summary>
    private async Task<DateOnly> ClockAt17And(int aheadBy)
    {
        var clockDate = DateOnly.FromDateTime(App.Clock.GetUtcNow().UtcDateTime.AddHours(8));
        var businessDate = DateOnly.Parse((await ReadJson(await As(Roles.Collector, s => s.Get.Url("/business-date")))).GetProperty("businessDate").GetString()!);
        var day = (clockDate > businessDate ? clockDate : businessDate).AddDays(1);
        App.Clock.SetUtcNow(new DateTimeOffset(day.ToDateTime(new TimeOnly(9, 0)), TimeSpan.Zero));
        await AdvanceDays(day.AddDays(aheadBy).DayNumber - businessDate.DayNumber);
        return day;
    }

    [Fact]
    public async Task A_contact_on_the_business_date_is_accepted_while_the_business_date_runs_ahead_of_the_clock()
    {
        var clockDay = await ClockAt17And(aheadBy: 3);
        var businessDate = clockDay.AddDays(3);
        // A supervisor: the ladder has moved the loan to a collections queue by now.
        await Record(Contact(at: $"{businessDate:yyyy-MM-dd}T10:00:00+08:00"), role: Roles.Supervisor, subject: "sup-1");
        await (await Record(Contact(at: $"{businessDate.AddDays(1):yyyy-MM-dd}T10:00:00+08:00"), 422, Roles.Supervisor, "sup-1"))
            .ShouldBeProblem(422, "contact.in_future");
    }

    [Fact]
    public async Task While_the_business_date_is_the_clocks_date_a_time_ahead_of_the_clock_has_not_happened_yet()
    {
        var today = await ClockAt17And(aheadBy: 0); // 17:00 in Shanghai on the business date
        await (await Record(Contact(at: $"{today:yyyy-MM-dd}T18:00:00+08:00"), 422, Roles.Supervisor, "sup-1"))
            .ShouldBeProblem(422, "contact.in_future");
        await Record(Contact(at: $"{today:yyyy-MM-dd}T17:04:00+08:00"), role: Roles.Supervisor, subject: "sup-1"); // 5 minutes of skew
    }

    [Fact]
    public async Task Bad_contact_input_is_a_400_naming_the_fields()
    {
        var result = await Record(new { channel = "phone", outcome = "promise_to_pay" }, 400);
        await result.ShouldBeProblem(400, "request.invalid");
        var errors = (await ReadJson(result)).GetProperty("errors");
        foreach (var field in new[] { "direction", "party", "occurredAt", "summary", "promise" })
            Assert.True(errors.TryGetProperty(field, out _), field);
        await (await Record(new { channel = "pigeon" }, 400)).ShouldBeProblem(400, "request.malformed");
        await (await Record(Contact(at: "2027-01-01T10:00:00+08:00"), 422)).ShouldBeProblem(422, "contact.in_future");
    }

    [Theory]
    [InlineData(500, "kept")]
    [InlineData(200, "broken")]
    public async Task A_promise_is_kept_or_broken_as_the_business_date_passes_its_date(decimal paid, string outcome)
    {
        await AdvanceDays(30); // 2 Mar: DPD 2
        await Record(Contact("promise_to_pay", at: "2026-03-02T10:00:00+08:00", promise: new { amount = 500, dueOn = "2026-03-05" }));
        var promised = await GetLoan(_loanId);
        Assert.Equal("2026-03-05", promised.GetProperty("openPromise").GetProperty("dueOn").GetString());

        await AdvanceDays(2);
        await Pay(_loanId, paid, "promised-payment");
        await AdvanceDays(2); // 6 Mar: the promise date has passed

        var loan = await GetLoan(_loanId);
        Assert.Equal(JsonValueKind.Null, loan.GetProperty("openPromise").ValueKind);
        Assert.Equal(outcome == "kept" ? 1 : 0, loan.GetProperty("keptPromises").GetInt32());
        Assert.Equal(outcome == "broken" ? 1 : 0, loan.GetProperty("brokenPromises").GetInt32());
        var types = (await ReadJson(await As(Roles.Legal, s => s.Get.Url($"/loans/{_loanId}/events")))).EnumerateArray()
            .Select(e => e.GetProperty("type").GetString()).ToList();
        Assert.Contains(outcome == "kept" ? "promise_kept" : "promise_broken", types);
    }

    [Fact]
    public async Task A_collector_reads_their_own_queue_highest_priority_first()
    {
        var second = await DisburseLoan(50_000m);
        await Assign(second, Agent);
        var other = await DisburseLoan();
        await Assign(other, "agent-8");
        await AdvanceDays(30);
        await Pay(_loanId, 1_066.19m, "cured");

        var queue = await ReadJson(await As(Roles.Collector, s => s.Get.Url($"/collectors/{Agent}/queue"), Agent));
        var loans = queue.GetProperty("loans").EnumerateArray().ToList();

        Assert.Equal([second, _loanId], loans.Select(l => l.GetProperty("loanId").GetGuid()));
        Assert.Equal(2, loans[0].GetProperty("dpd").GetInt32());
        Assert.True(loans[0].GetProperty("priority").GetInt32() > loans[1].GetProperty("priority").GetInt32());
        await (await As(Roles.Collector, s => { s.Get.Url("/collectors/agent-8/queue"); s.StatusCodeShouldBe(403); }, Agent))
            .ShouldBeProblem(403, "queue.not_yours");
        await As(Roles.Supervisor, s => s.Get.Url("/collectors/agent-8/queue"));
    }

    [Fact]
    public async Task The_queue_is_read_in_pages_in_the_order_and_with_the_scores_the_domain_gives_after_days_nobody_touched()
    {
        // _loanId: contacted on 31 Jan, then nothing (current until 28 Feb): contact recency changes its score with no event.
        await Record(Contact(at: "2026-01-31T11:00:00+08:00"));
        var big = await DisburseLoan(80_000m);
        var small = await DisburseLoan(2_000m);
        var paid = await DisburseLoan(5_000m);
        foreach (var loan in new[] { big, small, paid }) await Assign(loan, Agent);
        await Assign(await DisburseLoan(), "agent-8");
        await AdvanceDays(29); // 1 Mar: the instalments due 28 Feb are 1 day late
        await Pay(paid, 2_000m, "on-time-ish");
        await AdvanceDays(2);  // 3 Mar: within grace, no penalty events, DPD still grows

        async Task<(List<JsonElement> Items, string? Next)> Page(int limit, string? cursor = null)
        {
            var page = await ReadJson(await As(Roles.Collector,
                s => s.Get.Url($"/collectors/{Agent}/queue?limit={limit}{(cursor is null ? "" : $"&cursor={cursor}")}"), Agent));
            var next = page.GetProperty("nextCursor");
            return (page.GetProperty("loans").EnumerateArray().ToList(), next.ValueKind == JsonValueKind.Null ? null : next.GetString());
        }

        var whole = (await Page(500)).Items;
        Assert.Equal(4, whole.Count);
        var paged = new List<JsonElement>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var (items, next) = await Page(1, cursor);
            paged.AddRange(items);
            cursor = next;
            pages++;
        } while (cursor is not null);
        Assert.Equal(4, pages);
        Assert.Equal(whole.Select(i => i.GetProperty("loanId").GetGuid()), paged.Select(i => i.GetProperty("loanId").GetGuid()));

        // The read model agrees with the domain's scoring of the loans themselves, for today.
        await using var session = App.Store.QuerySession();
        var loans = await session.LoadManyAsync<Lending.Domain.Loans.Loan>(whole.Select(i => i.GetProperty("loanId").GetGuid()));
        var expected = Lending.Domain.Collections.WorkQueue.Order(loans, new DateOnly(2026, 3, 3));
        Assert.Equal(expected.Select(e => (e.LoanId, e.Priority, e.Dpd, e.TotalOutstanding)),
            whole.Select(i => (i.GetProperty("loanId").GetGuid(), i.GetProperty("priority").GetInt32(), i.GetProperty("dpd").GetInt32(),
                i.GetProperty("totalOutstanding").GetDecimal())));
        Assert.Contains(expected, e => e.Dpd == 3);

        await (await As(Roles.Collector, s => { s.Get.Url($"/collectors/{Agent}/queue?limit=501"); s.StatusCodeShouldBe(422); }, Agent))
            .ShouldBeProblem(422, "queue.limit");
        await (await As(Roles.Collector, s => { s.Get.Url($"/collectors/{Agent}/queue?cursor=nonsense"); s.StatusCodeShouldBe(422); }, Agent))
            .ShouldBeProblem(422, "queue.cursor");
    }

    [Fact]
    public async Task A_database_from_before_the_queue_read_model_gets_its_queues_built_at_start()
    {
        await Assign(await DisburseLoan(30_000m), Agent);
        await AdvanceDays(31);
        var before = (await ReadJson(await As(Roles.Supervisor, s => s.Get.Url($"/collectors/{Agent}/queue")))).GetProperty("loans").GetRawText();
        Assert.Equal(2, JsonDocument.Parse(before).RootElement.GetArrayLength());

        var queues = Host.Services.GetRequiredService<Lending.Projections.Collections.WorkQueueSchema>();
        await using (var session = App.Store.LightweightSession())
        {
            session.QueueSqlCommand($"truncate {queues.Table}");
            await session.SaveChangesAsync();
        }
        Assert.Empty((await ReadJson(await As(Roles.Supervisor, s => s.Get.Url($"/collectors/{Agent}/queue")))).GetProperty("loans").EnumerateArray());

        await Host.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<Lending.Api.Collections.WorkQueueBackfill>().Single()
            .StartAsync(CancellationToken.None);
        Assert.Equal(before, (await ReadJson(await As(Roles.Supervisor, s => s.Get.Url($"/collectors/{Agent}/queue")))).GetProperty("loans").GetRawText());
    }
}
