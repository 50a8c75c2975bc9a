using Alba;

namespace Lending.Api.Tests.Infrastructure;

public static class ProblemAssertions
{
    /// <summary>Asserts an RFC 9457 problem with this status and stable code.</summary>
    public static async Task ShouldBeProblem(this IScenarioResult result, int status, string code)
    {
        var context = result.Context;
        Assert.Equal(status, context.Response.StatusCode);
        Assert.StartsWith("application/problem+json", context.Response.ContentType);
        var body = System.Text.Json.JsonDocument.Parse(await result.ReadAsTextAsync()).RootElement;
        Assert.Equal(code, body.GetProperty("code").GetString());
        Assert.Equal(status, body.GetProperty("status").GetInt32());
    }
}
