using System.Text.Json;
using Lending.Api.Auth;
using Lending.Api.Tests.Infrastructure;

namespace Lending.Api.Tests.Ledger;

/// <summary>
/// The ledger off the plain paths, through the REST API: restructured schedules, penalty in whole cents within the cap,
/// late fees clipped under it, write-off proposals that stand only while the loan qualifies. CASH-12M loans are
/// disbursed on 31 Jan 2026 (instalment 1 due 28 Feb).
/// </summary>
public class MoneyOnEveryPathTests(AppFixture app) : ApiTest(app)
{
    private async Task<List<string>> EventTypes(Guid loanId) =>
        (await ReadJson(await As(Roles.Legal, s => s.Get.Url($"/loans/{loanId}/events")))).EnumerateArray()
        .Select(e => e.GetProperty("type").GetString()!).ToList();

    private async Task Restructure(Guid loanId, object request)
    {
        var requestId = (await ReadJson(await As(Roles.Supervisor, s =>
        {
            s.Post.Json(request).ToUrl($"/loans/{loanId}/restructure-requests");
            s.StatusCodeShouldBe(201);
        }, subject: "sup-a"))).GetProperty("requestId").GetGuid();
        await As(Roles.Supervisor, s =>
        {
            s.Post.Json(new { }).ToUrl($"/loans/{loanId}/restructure-requests/{requestId}/approve");
            s.StatusCodeShouldBeOk();
        }, subject: "sup-b");
    }

    [Theory]
    [InlineData("installment_plan", 6)]
    [InlineData("extension", 1)]
    public async Task A_loan_100_days_late_is_current_on_approval_and_the_next_close_of_business_leaves_it_alone(string type, int periods)
    {
        await DefineCashProduct(lateFee: 20m);
        var loanId = await DisburseLoan();
        await AdvanceDays(28 + 100); // 8 Jun: DPD 100, legal review, demand letter sent
        var before = await GetLoan(loanId);
        Assert.Equal((100, "legal_review"), (before.GetProperty("dpd").GetInt32(), before.GetProperty("stage").GetString()));

        await Restructure(loanId, new { type, periods, reason = "Lost her job in February; new job from June" });

        var loan = await GetLoan(loanId);
        Assert.Equal((0, "none", "current"), (loan.GetProperty("dpd").GetInt32(), loan.GetProperty("stage").GetString(),
            loan.GetProperty("bucket").GetString()));
        Assert.Equal(0m, loan.GetProperty("arrears").GetDecimal());
        var events = await EventTypes(loanId);

        await AdvanceDays(1);

        var after = await EventTypes(loanId);
        var added = after.Skip(events.Count).ToList();
        Assert.DoesNotContain(added, t => t is "plan_breached" or "loan_escalated" or "notice_sent" or "legal_referral_made"
            or "penalty_accrued" or "late_fee_charged");
        Assert.Equal(0, (await GetLoan(loanId)).GetProperty("dpd").GetInt32());
    }

    [Fact]
    public async Task Paying_a_plan_instalment_on_its_due_date_collects_its_interest()
    {
        await DefineCashProduct();
        var loanId = await DisburseLoan();
        await AdvanceDays(28 + 40); // 9 Apr
        await Restructure(loanId, new { type = "installment_plan", periods = 6, reason = "Illness" });

        var schedule = (await ReadJson(await As(Roles.Collector, s => s.Get.Url($"/loans/{loanId}/schedule"))))
            .GetProperty("installments").EnumerateArray().ToList();
        // The instalments the plan replaced say so, rather than "paid"; the new ones are listed by due date.
        Assert.Equal(12, schedule.Count(i => i.GetProperty("status").GetString() == "replaced"));
        var first = schedule.First(i => i.GetProperty("status").GetString() == "upcoming");
        Assert.Equal("2026-05-09", first.GetProperty("dueDate").GetString());
        await AdvanceDays(30); // 9 May, the due date

        var owed = first.GetProperty("principal").GetDecimal() + first.GetProperty("interest").GetDecimal()
            + first.GetProperty("penalty").GetDecimal() + first.GetProperty("fees").GetDecimal();
        var payment = await ReadJson(await Pay(loanId, owed, "plan-1"));

        Assert.Equal(first.GetProperty("interest").GetDecimal(), payment.GetProperty("interest").GetDecimal());
        Assert.All(payment.GetProperty("lines").EnumerateArray(), l => Assert.Equal(0m, l.GetProperty("interestWaived").GetDecimal()));
        Assert.Equal(0m, payment.GetProperty("overpayment").GetDecimal());
        await AdvanceDays(5);
        var loan = await GetLoan(loanId);
        Assert.Equal((0, false), (loan.GetProperty("dpd").GetInt32(), loan.GetProperty("planBreached").GetBoolean()));
    }

    [Fact]
    public async Task Penalty_on_a_small_balance_stays_within_the_cap_and_a_late_fee_is_clipped_to_the_room_under_it()
    {
        var product = await ReadJson(await AsAdmin(s =>
        {
            s.Put.Json(new { name = "Micro 30 days", amortization = "bullet", termDays = 30, annualRate = 0.18m, rateCap = 0.24m,
                lateFee = 50m, currency = "CNY" }).ToUrl("/products/MICRO-30");
            s.StatusCodeShouldBeOk();
        }));
        Assert.True(product.GetProperty("feesWithinCap").GetBoolean()); // CN-NIFA's default: fees count towards the 24%
        var loanId = await DisburseLoan(10m, "MICRO-30");

        await AdvanceDays(30 + 3 + 100); // due 2 Mar; 100 days past grace by 13 Jun

        var loan = await GetLoan(loanId);
        // 10.00 × 6% × 100 / 365 = 0.164: 0.16 booked (a cent a day would have been 1.00, a 36.5% penalty).
        Assert.Equal(0.16m, loan.GetProperty("penaltyOutstanding").GetDecimal());
        // On 6 Mar the cap allowed 10.00 × 24% × 34 / 365 = 0.2236 against 0.15 of interest: 0.07 of the 50.00 fee.
        Assert.Equal(0.07m, loan.GetProperty("feesOutstanding").GetDecimal());
        var fee = (await ReadJson(await As(Roles.Legal, s => s.Get.Url($"/loans/{loanId}/events")))).EnumerateArray()
            .Single(e => e.GetProperty("type").GetString() == "late_fee_charged").GetProperty("data");
        Assert.Equal((0.07m, 49.93m), (fee.GetProperty("amount").GetDecimal(), fee.GetProperty("clipped").GetDecimal()));
    }

    [Fact]
    public async Task A_supervisor_proposes_a_write_off_and_paying_the_loan_off_withdraws_it()
    {
        await DefineCashProduct();
        var loanId = await DisburseLoan();
        await AdvanceDays(28 + 10);

        await As(Roles.Collector, s => { s.Post.Json(new { reason = "x" }).ToUrl($"/loans/{loanId}/write-off/propose"); s.StatusCodeShouldBe(403); });
        await (await As(Roles.Supervisor, s => { s.Post.Json(new { }).ToUrl($"/loans/{loanId}/write-off/propose"); s.StatusCodeShouldBe(400); }))
            .ShouldBeProblem(400, "request.invalid");
        var proposed = await As(Roles.Supervisor, s =>
        {
            s.Post.Json(new { reason = "Borrower deceased; estate has no assets" }).ToUrl($"/loans/{loanId}/write-off/propose");
            s.StatusCodeShouldBe(201);
        }, subject: "sup-a");
        Assert.Equal($"/loans/{loanId}", proposed.Context.Response.Headers.Location.ToString());
        var pending = (await GetLoan(loanId)).GetProperty("pendingWriteOff");
        Assert.Equal((await ReadJson(proposed)).GetProperty("proposalId").GetGuid(), pending.GetProperty("proposalId").GetGuid());

        await Pay(loanId, (await GetLoan(loanId)).GetProperty("totalOutstanding").GetDecimal(), "estate-final");

        Assert.Equal(JsonValueKind.Null, (await GetLoan(loanId)).GetProperty("pendingWriteOff").ValueKind);
        Assert.Contains("write_off_withdrawn", await EventTypes(loanId));
        await (await As(Roles.Supervisor, s => { s.Post.Json(new { }).ToUrl($"/loans/{loanId}/write-off/approve"); s.StatusCodeShouldBe(409); }, subject: "sup-b"))
            .ShouldBeProblem(409, "write_off.no_proposal");
    }

    [Fact]
    public async Task A_restructure_of_a_loan_paid_off_since_the_request_is_refused()
    {
        await DefineCashProduct();
        var loanId = await DisburseLoan();
        await AdvanceDays(28 + 5);
        var requestId = (await ReadJson(await As(Roles.Supervisor, s =>
        {
            s.Post.Json(new { type = "extension", periods = 2, reason = "Hospital stay" }).ToUrl($"/loans/{loanId}/restructure-requests");
            s.StatusCodeShouldBe(201);
        }, subject: "sup-a"))).GetProperty("requestId").GetGuid();
        await Pay(loanId, (await GetLoan(loanId)).GetProperty("totalOutstanding").GetDecimal(), "family-paid");

        await (await As(Roles.Supervisor, s =>
        {
            s.Post.Json(new { }).ToUrl($"/loans/{loanId}/restructure-requests/{requestId}/approve");
            s.StatusCodeShouldBe(409);
        }, subject: "sup-b")).ShouldBeProblem(409, "restructure.loan_closed");
    }

    [Fact]
    public async Task A_value_dated_payment_refigures_the_loan_from_the_day_the_money_arrived_and_keeps_what_was_said_before()
    {
        await DefineCashProduct(lateFee: 20m);
        var loanId = await DisburseLoan();
        await Assign(loanId, "agent-7");
        await AdvanceDays(28 + 8); // 8 Mar: DPD 8, late fee charged 4 Mar, penalty of days 4–8
        Assert.Equal((8, 1.55m, 20m), ((await GetLoan(loanId)).GetProperty("dpd").GetInt32(),
            (await GetLoan(loanId)).GetProperty("penaltyOutstanding").GetDecimal(), (await GetLoan(loanId)).GetProperty("feesOutstanding").GetDecimal()));

        // A collector may book up to 3 days back; further back is a supervisor's; beyond 30 days nobody may.
        await (await As(Roles.Collector, s =>
        {
            s.Post.Json(new { amount = 1_086.81m, paidOn = "2026-03-04", reference = "bank-0304" }).ToUrl($"/loans/{loanId}/payments");
            s.StatusCodeShouldBe(403);
        }, subject: "agent-7")).ShouldBeProblem(403, "payment.value_date_needs_supervisor");
        await (await As(Roles.Supervisor, s =>
        {
            s.Post.Json(new { amount = 1_086.81m, paidOn = "2026-02-05", reference = "bank-0205" }).ToUrl($"/loans/{loanId}/payments");
            s.StatusCodeShouldBe(422);
        })).ShouldBeProblem(422, "payment.value_date_too_old");

        // The transfer arrived on 5 Mar (instalment, late fee and two days of penalty) and was posted on 8 Mar.
        var payment = await ReadJson(await As(Roles.Collector, s =>
        {
            s.Post.Json(new { amount = 1_086.81m, paidOn = "2026-03-05", reference = "bank-0305" }).ToUrl($"/loans/{loanId}/payments");
            s.StatusCodeShouldBe(201);
        }, subject: "agent-7"));
        Assert.Equal(("2026-03-05", 0.62m, 20m, 0m), (payment.GetProperty("paidOn").GetString(), payment.GetProperty("penalty").GetDecimal(),
            payment.GetProperty("fees").GetDecimal(), payment.GetProperty("overpayment").GetDecimal()));
        Assert.Equal((0.93m, 0m), (payment.GetProperty("refigured").GetProperty("penaltyReversed").GetDecimal(),
            payment.GetProperty("refigured").GetProperty("feesReversed").GetDecimal()));

        var loan = await GetLoan(loanId);
        Assert.Equal((0, "current", "none", 0m, 0m), (loan.GetProperty("dpd").GetInt32(), loan.GetProperty("bucket").GetString(),
            loan.GetProperty("stage").GetString(), loan.GetProperty("penaltyOutstanding").GetDecimal(), loan.GetProperty("feesOutstanding").GetDecimal()));
        var refigured = (await ReadJson(await As(Roles.Legal, s => s.Get.Url($"/loans/{loanId}/events")))).EnumerateArray()
            .Single(e => e.GetProperty("type").GetString() == "ledger_refigured").GetProperty("data");
        Assert.Equal(("2026-03-05", 0.93m), (refigured.GetProperty("valueDate").GetString(), refigured.GetProperty("penaltyReversed").GetDecimal()));

        // What the service said on 7 Mar stands: the correction is booked on 8 Mar.
        Assert.Equal(7, (await GetLoan(loanId, "2026-03-07")).GetProperty("dpd").GetInt32());
    }
}
