using Lending.Api.Tests.Infrastructure;

namespace Lending.Api.Tests.Health;

public class HealthTests(AppFixture app) : ApiTest(app)
{
    [Fact]
    public async Task Live_answers_without_a_token() =>
        await Host.Scenario(s => { s.Get.Url("/health/live"); s.StatusCodeShouldBeOk(); s.ContentShouldBe("Healthy"); });

    [Fact]
    public async Task Ready_when_the_database_is_reachable_and_the_schema_applied() =>
        await Host.Scenario(s => { s.Get.Url("/health/ready"); s.StatusCodeShouldBeOk(); s.ContentShouldBe("Healthy"); });

    [Fact]
    public async Task The_openapi_document_lists_the_endpoints()
    {
        var result = await Host.Scenario(s => s.Get.Url("/openapi/v1.json"));
        var paths = (await ReadJson(result)).GetProperty("paths");
        foreach (var path in new[] { "/loans", "/loans/{loanId}", "/loans/{loanId}/events", "/products/{code}",
                     "/business-date", "/business-date/advance", "/cob/runs/{runId}", "/dev/token" })
            Assert.True(paths.TryGetProperty(path, out _), $"{path} missing from the OpenAPI document");

        var disburse = paths.GetProperty("/loans").GetProperty("post").GetProperty("responses");
        foreach (var status in new[] { "201", "400", "401", "403", "409", "422" })
            Assert.True(disburse.TryGetProperty(status, out _), $"POST /loans does not document {status}");
        Assert.True(paths.GetProperty("/business-date/advance").GetProperty("post").GetProperty("responses").TryGetProperty("202", out _));
        Assert.False(paths.GetProperty("/dev/token").GetProperty("post").GetProperty("responses").TryGetProperty("401", out _));
    }
}
