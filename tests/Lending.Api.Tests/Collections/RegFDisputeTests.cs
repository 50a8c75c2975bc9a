using Lending.Api.Auth;
using Lending.Api.Tests.Infrastructure;

namespace Lending.Api.Tests.Collections;

public class RegFDisputeTests(AppFixture app) : ApiTest(app)
{
    [Fact]
    public async Task A_disputed_debt_is_not_collected_until_verification_is_sent()
    {
        var past = new DateTimeOffset(2026, 2, 1, 0, 0, 0, TimeSpan.Zero);
        if (App.Clock.GetUtcNow() < past) App.Clock.SetUtcNow(past);
        await AsAdmin(s => s.Put.Json(new { name = "US instalment", amortization = "annuity", installments = 6, annualRate = 0.2,
            rateCap = 0.36, conductProfile = "US-RegF", currency = "USD" }).ToUrl("/products/US-6M"));
        var loanId = Guid.NewGuid();
        await As(Roles.Supervisor, s =>
        {
            s.Post.Json(new { loanId, productCode = "US-6M", principal = 3000, currency = "USD",
                borrower = new { id = "B-9", name = "Maria Garcia", timeZone = "America/New_York" } }).ToUrl("/loans");
            s.StatusCodeShouldBe(201);
        });
        object Contact(string direction, string outcome) => new
        {
            channel = "email", direction, party = "borrower", outcome, occurredAt = "2026-01-31T12:00:00-05:00", summary = "about the balance",
        };
        Task<IScenarioResult> Record(object body, int status) =>
            As(Roles.Supervisor, s => { s.Post.Json(body).ToUrl($"/loans/{loanId}/contacts"); s.StatusCodeShouldBe(status); });

        await Record(Contact("inbound", "dispute"), 201);
        await (await Record(Contact("outbound", "no_answer"), 422)).ShouldBeProblem(422, "conduct.dispute_unverified");
        Assert.True((await GetLoan(loanId)).GetProperty("disputeUnverified").GetBoolean());

        await As(Roles.Supervisor, s => s.Post.Json(new { summary = "Contract and statement mailed" }).ToUrl($"/loans/{loanId}/dispute-verification"));

        await Record(Contact("outbound", "no_answer"), 201);
    }
}
