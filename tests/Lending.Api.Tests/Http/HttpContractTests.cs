using System.Text.Json;
using Lending.Api.Auth;
using Lending.Api.Tests.Infrastructure;

namespace Lending.Api.Tests.Http;

/// <summary>Every 201 points at something a GET returns; one code per meaning; notes sent with decisions are kept.</summary>
public class HttpContractTests(AppFixture app) : ApiTest(app)
{
    private async Task<JsonElement> Follow(Alba.IScenarioResult created)
    {
        Assert.Equal(201, created.Context.Response.StatusCode);
        var location = created.Context.Response.Headers.Location.ToString();
        return await ReadJson(await As(Roles.Supervisor, s => { s.Get.Url(location); s.StatusCodeShouldBeOk(); }));
    }

    [Fact]
    public async Task The_location_of_a_payment_contact_complaint_and_restructure_request_resolves()
    {
        await DefineCashProduct();
        var loanId = await DisburseLoan();
        await AdvanceDays(28 + 5);

        var payment = await Follow(await Pay(loanId, 300m, "bank/03-05 #1"));
        Assert.Equal(("bank/03-05 #1", 300m), (payment.GetProperty("reference").GetString(), payment.GetProperty("amount").GetDecimal()));

        var contact = await Follow(await As(Roles.Supervisor, s => { s.StatusCodeShouldBe(201); s.Post.Json(new
        {
            channel = "phone", direction = "outbound", party = "borrower", outcome = "no_answer", occurredAt = "2026-03-05T10:00:00+08:00",
            summary = "No answer",
        }).ToUrl($"/loans/{loanId}/contacts"); }));
        Assert.Equal("no_answer", contact.GetProperty("outcome").GetString());

        var complaint = await Follow(await As(Roles.Supervisor, s => { s.StatusCodeShouldBe(201); s.Post.Json(new { category = "harassment",
            description = "Calls at work" }).ToUrl($"/loans/{loanId}/complaints"); }));
        Assert.Equal(("harassment", "open"), (complaint.GetProperty("category").GetString(), complaint.GetProperty("status").GetString()));

        var request = await Follow(await As(Roles.Supervisor, s => { s.StatusCodeShouldBe(201); s.Post.Json(new { type = "extension", periods = 1,
            reason = "Hospital stay" }).ToUrl($"/loans/{loanId}/restructure-requests"); }, subject: "sup-a"));
        Assert.Equal(("pending", "sup-a"), (request.GetProperty("status").GetString(), request.GetProperty("proposedBy").GetString()));

        // The checker's reasons are kept with the restructure, and the request shows its decision.
        var requestId = request.GetProperty("requestId").GetGuid();
        var approved = await ReadJson(await As(Roles.Supervisor, s => s.Post.Json(new { reason = "Discharge letter seen" })
            .ToUrl($"/loans/{loanId}/restructure-requests/{requestId}/approve"), subject: "sup-b"));
        Assert.Equal(("approved", "Discharge letter seen"), (approved.GetProperty("status").GetString(), approved.GetProperty("note").GetString()));
        var decided = await ReadJson(await As(Roles.Collector, s => s.Get.Url($"/loans/{loanId}/restructure-requests/{requestId}")));
        Assert.Equal(("approved", "sup-b", "Discharge letter seen"), (decided.GetProperty("status").GetString(),
            decided.GetProperty("decidedBy").GetString(), decided.GetProperty("decisionReason").GetString()));

        await (await As(Roles.Supervisor, s => { s.Get.Url($"/loans/{loanId}/payments/nothing-like-it"); s.StatusCodeShouldBe(404); }))
            .ShouldBeProblem(404, "payment.not_found");
    }

    [Fact]
    public async Task A_command_on_a_loan_that_does_not_exist_is_loan_not_found_as_a_read_is()
    {
        var missing = Guid.NewGuid();
        await (await As(Roles.Collector, s => { s.Get.Url($"/loans/{missing}"); s.StatusCodeShouldBe(404); })).ShouldBeProblem(404, "loan.not_found");
        await (await As(Roles.Supervisor, s => { s.Post.Json(new { amount = 10, reference = "r" }).ToUrl($"/loans/{missing}/payments"); s.StatusCodeShouldBe(404); }))
            .ShouldBeProblem(404, "loan.not_found");
        await (await As(Roles.Supervisor, s => { s.Post.Json(new { reason = "x" }).ToUrl($"/loans/{missing}/cease-contact"); s.StatusCodeShouldBe(404); }))
            .ShouldBeProblem(404, "loan.not_found");
    }
}
