using System.Text.Json;
using Lending.Api.Auth;
using Lending.Api.Tests.Infrastructure;

namespace Lending.Api.Tests.Analytics;

/// <summary>
/// A small book with the histories risk analysts care about, built through the API from 31 Jan 2026 (12 monthly
/// annuity instalments at 12%, first due 28 Feb, 3 days' grace):
/// A (12,000, East/Shanghai-01) pays each instalment on its due date; B (6,000, East/Shanghai-02) never pays and
/// breaks a promise; C (3,000, West/Chengdu-01) pays off on 28 Feb; D (9,000, West/Chengdu-01) keeps a small promise,
/// falls 30+ days behind, then pays its arrears in April. B and D are worked by agent-7.
/// </summary>
public abstract class AnalyticsTest(AppFixture app) : ApiTest(app)
{
    protected const string Agent = "agent-7";
    protected static readonly DateOnly Start = AppFixture.StartDate;
    protected static readonly DateOnly End = new(2026, 5, 10);

    protected Guid A, B, C, D;
    protected IReadOnlyList<Guid> Loans => [A, B, C, D];

    /// <summary>What <c>GET /analytics/delinquency</c> answered at the end of the business dates the book stopped on.</summary>
    protected Dictionary<DateOnly, string> LiveAnswers { get; } = [];

    protected async Task BuildBook()
    {
        // Contacts are recorded after they happen, on their business date: the service clock is past them.
        var past = new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);
        if (App.Clock.GetUtcNow() < past) App.Clock.SetUtcNow(past);

        await DefineCashProduct();
        A = await Disburse(12_000m, "East", "Shanghai-01");
        B = await Disburse(6_000m, "East", "Shanghai-02");
        C = await Disburse(3_000m, "West", "Chengdu-01");
        D = await Disburse(9_000m, "West", "Chengdu-01");
        await Assign(B, Agent);
        await Assign(D, Agent);
        await RecordLiveAnswer();

        await Advance(28); // 28 Feb: instalment 1 due
        await Pay(A, 1_066.19m, "a-1");
        await Pay(C, (await GetLoan(C)).GetProperty("totalOutstanding").GetDecimal(), "c-payoff");
        await RecordLiveAnswer();

        await Advance(10); // 10 Mar
        await Contact(D, "promise_to_pay", "2026-03-10T10:00:00+08:00", new { amount = 100m, dueOn = "2026-03-15" });
        await Contact(B, "no_answer", "2026-03-10T11:00:00+08:00");
        await Contact(B, "promise_to_pay", "2026-03-10T12:00:00+08:00", new { amount = 500m, dueOn = "2026-03-20" });
        await RecordLiveAnswer();

        await Advance(3); // 13 Mar
        await Pay(D, 100m, "d-promise");
        await RecordLiveAnswer();

        await Advance(18); // 31 Mar: B's promise broken on 21 Mar; B and D 31 days past due
        await Pay(A, 1_066.19m, "a-2");
        await RecordLiveAnswer();

        await Advance(20); // 20 Apr: D pays its arrears and is current again
        await Pay(D, (await GetLoan(D)).GetProperty("arrears").GetDecimal() + 50m, "d-cure");
        await RecordLiveAnswer();

        await Advance(10); // 30 Apr
        await Pay(A, 1_066.19m, "a-3");
        await RecordLiveAnswer();

        await Advance(10); // 10 May
        await RecordLiveAnswer();
    }

    private async Task Advance(int days)
    {
        await AdvanceDays(days);
        await RecordLiveAnswer();
    }

    protected async Task<DateOnly> Today() =>
        DateOnly.Parse((await ReadJson(await As(Roles.RiskAnalyst, s => s.Get.Url("/business-date")))).GetProperty("businessDate").GetString()!);

    private async Task RecordLiveAnswer()
    {
        await WaitForProjections();
        LiveAnswers[await Today()] = (await Analyst("/analytics/delinquency")).GetRawText();
    }

    protected async Task<JsonElement> Analyst(string url) => await ReadJson(await As(Roles.RiskAnalyst, s => s.Get.Url(url)));

    private async Task<Guid> Disburse(decimal principal, string region, string branch)
    {
        var loanId = Guid.NewGuid();
        await As(Roles.Supervisor, s =>
        {
            s.Post.Json(new
            {
                loanId, productCode = "CASH-12M", principal, currency = "CNY", region, branch,
                borrower = new
                {
                    id = $"B-{principal}", name = "Li Lei", phone = "+86-139-0000-0000", email = "ll@example.com",
                    nationalId = "110101199202021234", timeZone = "Asia/Shanghai", address = "2 Road, Chengdu",
                },
            }).ToUrl("/loans");
            s.StatusCodeShouldBe(201);
        });
        return loanId;
    }

    private Task Contact(Guid loanId, string outcome, string at, object? promise = null) => As(Roles.Collector, s =>
    {
        s.Post.Json(new
        {
            channel = "phone", direction = "outbound", party = "borrower", outcome, occurredAt = at,
            summary = "Called about the arrears", promise,
        }).ToUrl($"/loans/{loanId}/contacts");
        s.StatusCodeShouldBe(201);
    }, Agent);

    /// <summary>The loans' own answers for a date (<c>GET /loans/{id}?asOf=</c>), those booked and still open.</summary>
    protected async Task<List<JsonElement>> OpenLoansAsOf(DateOnly date, IEnumerable<Guid>? loans = null)
    {
        var open = new List<JsonElement>();
        foreach (var id in loans ?? Loans)
        {
            var result = await As(Roles.Supervisor, s => { s.Get.Url($"/loans/{id}?asOf={date:yyyy-MM-dd}"); s.StatusCodeShouldBeSuccess(); });
            var loan = await ReadJson(result);
            if (loan.GetProperty("status").GetString() is not ("paid_off" or "settled" or "written_off")) open.Add(loan);
        }
        return open;
    }

    /// <summary>A loan's own answer for a date, or null when it was not booked yet.</summary>
    protected async Task<JsonElement?> LoanAsOf(Guid id, DateOnly date)
    {
        var result = await Host.Scenario(s =>
        {
            s.WithRequestHeader("Authorization", $"Bearer {App.TokenFor("sup-1", Roles.Supervisor)}");
            s.Get.Url($"/loans/{id}?asOf={date:yyyy-MM-dd}");
            s.IgnoreStatusCode();
        });
        return result.Context.Response.StatusCode == 404 ? null : await ReadJson(result);
    }

    protected static decimal Ratio(decimal part, decimal whole) => whole == 0m ? 0m : Math.Round(part / whole, 6, MidpointRounding.AwayFromZero);
}
