using Lending.Api.Auth;
using Lending.Api.Tests.Infrastructure;

namespace Lending.Api.Tests.Restructuring;

/// <summary>CASH-12M disbursed 31 Jan 2026, instalment 1 due 28 Feb; the borrower lost her job and falls 40 days behind.</summary>
public class RestructureTests(AppFixture app) : ApiTest(app)
{
    [Fact]
    public async Task An_instalment_plan_is_proposed_approved_by_another_supervisor_and_a_breach_escalates_to_legal_review()
    {
        await DefineCashProduct();
        var loanId = await DisburseLoan();
        await AdvanceDays(28 + 40); // 9 Apr: late collection

        var requested = await ReadJson(await As(Roles.Supervisor, s =>
        {
            s.Post.Json(new { type = "installment_plan", periods = 6, reason = "Lost her job in February; new job from April",
                documents = new[] { "termination letter", "new employment contract" } }).ToUrl($"/loans/{loanId}/restructure-requests");
            s.StatusCodeShouldBe(201);
        }, subject: "sup-a"));
        Assert.Equal("pending", requested.GetProperty("status").GetString());
        var requestId = requested.GetProperty("requestId").GetGuid();

        await (await As(Roles.Supervisor, s =>
        {
            s.Post.Json(new { }).ToUrl($"/loans/{loanId}/restructure-requests/{requestId}/approve");
            s.StatusCodeShouldBe(403);
        }, subject: "sup-a")).ShouldBeProblem(403, "restructure.same_person");
        await As(Roles.Supervisor, s => s.Post.Json(new { }).ToUrl($"/loans/{loanId}/restructure-requests/{requestId}/approve"), subject: "sup-b");

        var loan = await GetLoan(loanId);
        Assert.Equal(("restructured", 0, "none", true), (loan.GetProperty("status").GetString(), loan.GetProperty("dpd").GetInt32(),
            loan.GetProperty("stage").GetString(), loan.GetProperty("restructured").GetBoolean()));
        var schedule = await ReadJson(await As(Roles.Collector, s => s.Get.Url($"/loans/{loanId}/schedule")));
        var upcoming = schedule.GetProperty("installments").EnumerateArray().Where(i => i.GetProperty("status").GetString() == "upcoming").ToList();
        Assert.Equal(6, upcoming.Count);
        Assert.Equal("2026-05-09", upcoming[0].GetProperty("dueDate").GetString());

        await AdvanceDays(30 + 4); // 13 May: the first plan instalment is 4 days late, past grace
        loan = await GetLoan(loanId);
        Assert.True(loan.GetProperty("planBreached").GetBoolean());
        Assert.Equal("legal_review", loan.GetProperty("stage").GetString());
    }

    [Fact]
    public async Task A_request_without_a_reason_is_400_and_a_rejected_one_leaves_the_schedule_alone()
    {
        await DefineCashProduct();
        var loanId = await DisburseLoan();
        await (await As(Roles.Supervisor, s => { s.Post.Json(new { type = "extension", periods = 2 }).ToUrl($"/loans/{loanId}/restructure-requests"); s.StatusCodeShouldBe(400); }))
            .ShouldBeProblem(400, "request.invalid");

        var requestId = (await ReadJson(await As(Roles.Supervisor, s =>
        {
            s.Post.Json(new { type = "extension", periods = 2, reason = "Hospital stay" }).ToUrl($"/loans/{loanId}/restructure-requests");
            s.StatusCodeShouldBe(201);
        }, subject: "sup-a"))).GetProperty("requestId").GetGuid();
        await As(Roles.Supervisor, s => s.Post.Json(new { reason = "No medical proof yet" }).ToUrl($"/loans/{loanId}/restructure-requests/{requestId}/reject"), subject: "sup-b");

        var loan = await GetLoan(loanId);
        Assert.Equal(("active", false), (loan.GetProperty("status").GetString(), loan.GetProperty("restructured").GetBoolean()));
        Assert.Equal("2026-02-28", loan.GetProperty("nextDueDate").GetString());
    }

    [Fact]
    public async Task A_settlement_paid_in_full_closes_the_loan_and_earns_a_certificate()
    {
        await DefineCashProduct();
        var loanId = await DisburseLoan();
        await AdvanceDays(28 + 40);
        var requestId = (await ReadJson(await As(Roles.Supervisor, s =>
        {
            s.Post.Json(new { type = "settlement", settlementAmount = 9000, reason = "Long illness; family can pay a lump sum",
                documents = new[] { "medical certificate" } }).ToUrl($"/loans/{loanId}/restructure-requests");
            s.StatusCodeShouldBe(201);
        }, subject: "sup-a"))).GetProperty("requestId").GetGuid();
        await As(Roles.Supervisor, s => s.Post.Json(new { }).ToUrl($"/loans/{loanId}/restructure-requests/{requestId}/approve"), subject: "sup-b");

        await Pay(loanId, 9_000m, "lump-sum");

        var loan = await GetLoan(loanId);
        Assert.Equal(("settled", "none"), (loan.GetProperty("status").GetString(), loan.GetProperty("stage").GetString()));
        var certificate = await ReadJson(await As(Roles.Legal, s => s.Get.Url($"/loans/{loanId}/payoff-certificate")));
        Assert.Equal("settled", certificate.GetProperty("status").GetString());
        Assert.Equal(9_000m, certificate.GetProperty("paid").GetProperty("total").GetDecimal());
    }
}
