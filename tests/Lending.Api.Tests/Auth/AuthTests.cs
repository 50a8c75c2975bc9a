using Lending.Api.Auth;
using Lending.Api.Tests.Infrastructure;

namespace Lending.Api.Tests.Auth;

public class AuthTests(AppFixture app) : ApiTest(app)
{
    [Theory]
    [InlineData("GET", "/business-date")]
    [InlineData("GET", "/products")]
    [InlineData("GET", "/loans/0195d0c4-0000-7000-8000-000000000001")]
    [InlineData("POST", "/loans")]
    [InlineData("POST", "/business-date/advance")]
    public async Task Without_a_token_every_endpoint_answers_401(string method, string url)
    {
        var result = await Host.Scenario(s =>
        {
            if (method == "GET") s.Get.Url(url);
            else s.Post.Json(new { }).ToUrl(url);
            s.StatusCodeShouldBe(401);
        });
        await result.ShouldBeProblem(401, "auth.unauthenticated");
    }

    [Fact]
    public async Task A_token_signed_with_another_key_is_rejected() =>
        await Host.Scenario(s =>
        {
            s.WithRequestHeader("Authorization",
                "Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ4Iiwicm9sZSI6ImFkbWluIn0.c2lnbmF0dXJlLW5vdC12YWxpZA");
            s.Get.Url("/business-date");
            s.StatusCodeShouldBe(401);
        });

    [Fact]
    public async Task An_expired_token_is_rejected_by_the_service_clock()
    {
        var token = App.TokenFor("admin-1", Roles.Admin);
        App.Clock.Advance(TimeSpan.FromHours(2));
        await Host.Scenario(s =>
        {
            s.WithRequestHeader("Authorization", $"Bearer {token}");
            s.Get.Url("/business-date");
            s.StatusCodeShouldBe(401);
        });
    }

    [Theory]
    [InlineData(Roles.Collector)]
    [InlineData(Roles.RiskAnalyst)]
    [InlineData(Roles.Legal)]
    public async Task Only_supervisors_and_admins_disburse(string role)
    {
        var result = await As(role, s => { s.Post.Json(NewLoan()).ToUrl("/loans"); s.StatusCodeShouldBe(403); });
        await result.ShouldBeProblem(403, "auth.forbidden");
    }

    [Theory]
    [InlineData(Roles.Collector)]
    [InlineData(Roles.Supervisor)]
    public async Task Only_admins_define_products_and_advance_the_business_date(string role)
    {
        await As(role, s => { s.Put.Json(new { name = "x" }).ToUrl("/products/X"); s.StatusCodeShouldBe(403); });
        await As(role, s => { s.Post.Json(new { days = 1 }).ToUrl("/business-date/advance"); s.StatusCodeShouldBe(403); });
    }

    [Fact]
    public async Task A_development_token_opens_the_endpoints_of_its_roles()
    {
        var issued = await Host.Scenario(s =>
        {
            s.Post.Json(new { subject = "agent-7", roles = new[] { "collector" } }).ToUrl("/dev/token");
            s.StatusCodeShouldBeOk();
        });
        var token = (await ReadJson(issued)).GetProperty("token").GetString();

        await Host.Scenario(s =>
        {
            s.WithRequestHeader("Authorization", $"Bearer {token}");
            s.Get.Url("/business-date");
            s.StatusCodeShouldBeOk();
        });
        await Host.Scenario(s =>
        {
            s.WithRequestHeader("Authorization", $"Bearer {token}");
            s.Post.Json(new { days = 1 }).ToUrl("/business-date/advance");
            s.StatusCodeShouldBe(403);
        });
    }

    [Fact]
    public async Task A_development_token_needs_a_known_role()
    {
        var result = await Host.Scenario(s =>
        {
            s.Post.Json(new { subject = "agent-7", roles = new[] { "superuser" } }).ToUrl("/dev/token");
            s.StatusCodeShouldBe(400);
        });
        await result.ShouldBeProblem(400, "request.invalid");
    }
}

/// <summary>The token issuer's switch, tested as the pure function it is.</summary>
public class DevTokenSwitchTests
{
    [Fact]
    public void With_development_tokens_off_the_issuer_answers_404()
    {
        var problem = IssueDevTokenEndpoint.Validate(new IssueDevToken("agent-7", ["collector"]),
            Microsoft.Extensions.Options.Options.Create(new Lending.Api.Setup.LendingOptions()));
        Assert.Equal(404, problem.Status);
        Assert.Equal("dev_tokens.disabled", problem.Extensions["code"]);
    }

    [Fact]
    public void Development_tokens_are_off_unless_configured() =>
        Assert.False(new Lending.Api.Setup.LendingOptions().Auth.DevTokens);
}
