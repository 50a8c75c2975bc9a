using System.Text.Json;
using Lending.Api.Auth;
using Lending.Api.Tests.Infrastructure;

namespace Lending.Api.Tests.Litigation;

/// <summary>
/// Legal's case on a loan through the API. CASH-12M disbursed 31 Jan 2026, instalment 1 due 28 Feb, nothing paid:
/// 100 days on, the business date is 11 May (DPD 72).
/// </summary>
public class LitigationHttpTests(AppFixture app) : ApiTest(app)
{
    private Task<IScenarioResult> Step(Guid loanId, object body, int status = 201, string role = Roles.Legal) => As(role, s =>
    {
        s.Post.Json(body).ToUrl($"/loans/{loanId}/litigation");
        s.StatusCodeShouldBe(status);
    });

    private async Task<Guid> OverdueLoan(int days = 100)
    {
        await DefineCashProduct();
        var loanId = await DisburseLoan();
        await AdvanceDays(days);
        return loanId;
    }

    [Fact]
    public async Task Legal_takes_a_case_from_review_to_judgment_and_the_claim_is_the_ledger_on_the_filing_date()
    {
        var loanId = await OverdueLoan();
        var opened = await Step(loanId, new { action = "review_opened", date = "2026-05-01", notes = "90 days without contact" });
        var location = opened.Context.Response.Headers.Location.ToString();
        Assert.Equal($"/loans/{loanId}/litigation", location);
        Assert.Equal("litigation", (await GetLoan(loanId)).GetProperty("status").GetString());

        await Step(loanId, new { action = "cost_incurred", date = "2026-05-02", amount = 350.00m, costKind = "court_fee" });
        var filed = await ReadJson(await Step(loanId, new
        {
            action = "filed", date = "2026-05-05", court = "上海市浦东新区人民法院", caseNumber = "(2026)沪0115民初12345号",
        }));
        var claim = filed.GetProperty("claim");
        var onFiling = await GetLoan(loanId, "2026-05-05");
        foreach (var (part, field) in new[] { ("principal", "principalOutstanding"), ("interest", "interestOutstanding"),
                     ("penalty", "penaltyOutstanding"), ("fees", "feesOutstanding") })
            Assert.Equal(onFiling.GetProperty(field).GetDecimal(), claim.GetProperty(part).GetDecimal());
        Assert.Equal(350.00m, claim.GetProperty("costs").GetDecimal());
        Assert.Equal(onFiling.GetProperty("totalOutstanding").GetDecimal() + 350m, claim.GetProperty("total").GetDecimal());
        Assert.Equal("2026-05-05", claim.GetProperty("asOf").GetString());
        Assert.True(onFiling.GetProperty("penaltyOutstanding").GetDecimal() < (await GetLoan(loanId)).GetProperty("penaltyOutstanding").GetDecimal());

        await Step(loanId, new { action = "hearing", date = "2026-05-08" });
        var award = new { principal = claim.GetProperty("principal").GetDecimal(), interest = claim.GetProperty("interest").GetDecimal(), costs = 350m };
        await (await Step(loanId, new { action = "judgment", date = "2026-05-09", award = award with { }, amount = 1m }, 422))
            .ShouldBeProblem(422, "litigation.award_mismatch");
        await Step(loanId, new { action = "judgment", date = "2026-05-09", award });

        var @case = await ReadJson(await As(Roles.Legal, s => s.Get.Url(location)));
        Assert.Equal("judgment", @case.GetProperty("step").GetString());
        Assert.Equal(["litigation_review_opened", "litigation_cost_incurred", "lawsuit_filed", "hearing_held", "judgment_entered"],
            @case.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("type").GetString()));
        Assert.All(@case.GetProperty("steps").EnumerateArray(), s => Assert.Equal("legal-1", s.GetProperty("recordedBy").GetString()));
        Assert.Equal("90 days without contact", @case.GetProperty("steps")[0].GetProperty("notes").GetString());

        var cases = await ReadJson(await As(Roles.Legal, s => s.Get.Url("/legal/cases")));
        var mine = Assert.Single(cases.GetProperty("cases").EnumerateArray(), c => c.GetProperty("loanId").GetGuid() == loanId);
        Assert.Equal(("judgment", "(2026)沪0115民初12345号"), (mine.GetProperty("step").GetString(), mine.GetProperty("caseNumber").GetString()));
        Assert.Contains(cases.GetProperty("byStep").EnumerateArray(), g => g.GetProperty("step").GetString() == "judgment");
        var judgmentOnly = await ReadJson(await As(Roles.Legal, s => s.Get.Url("/legal/cases?step=judgment")));
        Assert.All(judgmentOnly.GetProperty("cases").EnumerateArray(), c => Assert.Equal("judgment", c.GetProperty("step").GetString()));
        var reviewOnly = await ReadJson(await As(Roles.Legal, s => s.Get.Url("/legal/cases?step=review_opened")));
        Assert.DoesNotContain(reviewOnly.GetProperty("cases").EnumerateArray(), c => c.GetProperty("loanId").GetGuid() == loanId);
        await (await As(Roles.Legal, s => { s.Get.Url("/legal/cases?step=nonsense"); s.StatusCodeShouldBe(422); }))
            .ShouldBeProblem(422, "legal_cases.unknown_step");

        await Step(loanId, new { action = "settled", date = "2026-05-10", amount = 9_000m, notes = "court-mediated settlement" });
        Assert.Equal("overdue", (await GetLoan(loanId)).GetProperty("status").GetString());
        var after = await ReadJson(await As(Roles.Legal, s => s.Get.Url("/legal/cases")));
        Assert.DoesNotContain(after.GetProperty("cases").EnumerateArray(), c => c.GetProperty("loanId").GetGuid() == loanId);
    }

    [Fact]
    public async Task Only_legal_records_steps_and_bad_input_is_a_problem_not_a_500()
    {
        var loanId = await OverdueLoan(days: 40);
        foreach (var role in new[] { Roles.Collector, Roles.Supervisor, Roles.RiskAnalyst, Roles.Admin })
            await Step(loanId, new { action = "review_opened", date = "2026-03-01" }, 403, role);
        await As(Roles.Collector, s => { s.Get.Url("/legal/cases"); s.StatusCodeShouldBe(403); });

        await (await Step(loanId, new { }, 400)).ShouldBeProblem(400, "request.invalid");
        foreach (var body in new[]
                 {
                     """{"action":"sue_them","date":"2026-03-01"}""", """{"action":"review_opened","date":"March"}""",
                     """{"action":"cost_incurred","date":"2026-03-01","amount":1e400}""", "null",
                 })
            await As(Roles.Legal, s =>
            {
                s.Post.Text(body).ToUrl($"/loans/{loanId}/litigation");
                s.WithRequestHeader("Content-Type", "application/json");
                s.StatusCodeShouldBe(400);
            });
        await (await Step(loanId, new { action = "filed", date = "2026-03-01", court = "c", caseNumber = "n" }, 409))
            .ShouldBeProblem(409, "litigation.no_open_case");
        await (await Step(loanId, new { action = "review_opened", date = "2026-12-01" }, 422)).ShouldBeProblem(422, "litigation.date_in_future");
        await (await Step(Guid.NewGuid(), new { action = "review_opened", date = "2026-03-01" }, 404)).ShouldBeProblem(404, "loan.not_found");
        await As(Roles.Legal, s => { s.Get.Url($"/loans/{loanId}/litigation"); s.StatusCodeShouldBe(404); });
        Assert.Empty(await LoanEvents(loanId, "litigation_review_opened"));
    }

    [Fact]
    public async Task Once_a_case_is_filed_the_ladder_sends_no_more_notices()
    {
        ClockAtShanghai(new TimeOnly(10, 0));
        var loanId = await OverdueLoan(days: 40); // 12 Mar, DPD 12: the reminder went out on 1 Mar
        Assert.Single(await LoanEvents(loanId, "notice_sent"));
        await Step(loanId, new { action = "review_opened", date = "2026-03-12" });
        await Step(loanId, new { action = "filed", date = "2026-03-12", court = "上海金融法院", caseNumber = "(2026)沪74民初1号" });

        await AdvanceDays(50); // past the demand letter's day, 30 Apr (DPD 61)

        Assert.Single(await LoanEvents(loanId, "notice_sent"));
        var suppressed = Assert.Single(await LoanEvents(loanId, "notice_suppressed"));
        Assert.Equal("demand_letter", suppressed.GetProperty("kind").GetString());
        Assert.Equal(["litigation.case_filed"], suppressed.GetProperty("rules").EnumerateArray().Select(r => r.GetString()));
    }
}
