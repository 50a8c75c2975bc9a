using System.Text;
using System.Text.Json;
using Alba;
using Lending.Api.Auth;
using Lending.Api.Tests.Infrastructure;

namespace Lending.Api.Tests.Http;

/// <summary>
/// Every operation of the OpenAPI document, sent what a careless or hostile client might send: a null body, NUL and
/// invalid UTF-8, numbers out of range, JSON nested past any reasonable depth, broken query values. None may answer 5xx,
/// and every refusal is a ProblemDetails with a stable code.
/// </summary>
public class MalformedInputSweepTests(AppFixture app) : ApiTest(app)
{
    private static readonly byte[][] Bodies =
    [
        "null"u8.ToArray(),
        "{}"u8.ToArray(),
        "[]"u8.ToArray(),
        "\"text\""u8.ToArray(),
        """{"reason":"\u0000","reference":"a\u0000","name":"\u0000","summary":"\u0000","amount":1}"""u8.ToArray(),
        [.. "{\"reason\":\""u8.ToArray(), 0xFF, 0xFE, .. "\",\"amount\":1}"u8.ToArray()],
        [.. "{\"reason\":\"a"u8.ToArray(), 0x00, .. "b\"}"u8.ToArray()],
        "1e400"u8.ToArray(),
        """{"amount":1e400,"days":1e400,"principal":1e400,"periods":1e400,"annualRate":1e400,"installments":1e400}"""u8.ToArray(),
        """{"amount":79228162514264337593543950335,"days":2147483647,"principal":79228162514264337593543950335,"periods":2147483647,"installments":2147483647,"termDays":2147483647,"annualRate":79228162514264337593543950335,"graceDays":-2147483648}"""u8.ToArray(),
        Encoding.UTF8.GetBytes(new string('[', 5_000) + new string(']', 5_000)),
        Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("{\"a\":", 5_000)) + "1" + new string('}', 5_000)),
        "{\"amount\": "u8.ToArray(),
    ];

    private static readonly string[] Queries = ["?asOf=%00", "?asOf=%FF%FE", "?asOf=99999-99-99", "?from=%00&to=%FF", "?product=%00"];

    [Fact]
    public async Task No_operation_answers_5xx_to_malformed_input()
    {
        await DefineCashProduct();
        var loanId = await DisburseLoan();
        var document = await ReadJson(await Host.Scenario(s => s.Get.Url("/openapi/v1.json")));
        var token = App.TokenFor("sweeper", Roles.Admin, Roles.Supervisor, Roles.Collector, Roles.Legal, Roles.RiskAnalyst);
        var failures = new List<string>();
        var operations = 0;

        foreach (var path in document.GetProperty("paths").EnumerateObject())
        foreach (var operation in path.Value.EnumerateObject())
        {
            operations++;
            var method = operation.Name.ToUpperInvariant();
            var url = Fill(path.Name, loanId);
            var sends = method is "GET" or "DELETE"
                ? Queries.Select(q => (Url: url + q, Body: (byte[]?)null))
                : Bodies.Select(b => (Url: url, Body: (byte[]?)b)).Append((Url: url + "?x=%00", Body: "{}"u8.ToArray()));
            foreach (var (target, body) in sends)
            {
                var (status, contentType, text) = await Send(method, target, body, token);
                var label = $"{method} {target} {(body is null ? "" : Encoding.UTF8.GetString(body[..Math.Min(40, body.Length)]))}";
                if (status >= 500) failures.Add($"{status} {label}: {text[..Math.Min(200, text.Length)]}");
                else if (status >= 400 && (!contentType.StartsWith("application/problem+json") || !text.Contains("\"code\"")))
                    failures.Add($"{status} without a problem code: {label}");
            }
        }

        Assert.True(operations > 30, $"only {operations} operations in the OpenAPI document");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private static string Fill(string template, Guid loanId) =>
        System.Text.RegularExpressions.Regex.Replace(template, "{([^}]+)}", m => m.Groups[1].Value switch
        {
            "loanId" => loanId.ToString(),
            "code" => "CASH-12M",
            "collectorId" => "agent-7",
            _ => Guid.NewGuid().ToString(),
        });

    private async Task<(int Status, string ContentType, string Text)> Send(string method, string url, byte[]? body, string token)
    {
        var result = await Host.Scenario(s =>
        {
            s.WithRequestHeader("Authorization", $"Bearer {token}");
            _ = method switch
            {
                "GET" => s.Get.Url(url),
                "PUT" => s.Put.Url(url),
                "DELETE" => s.Delete.Url(url),
                _ => s.Post.Url(url),
            };
            if (body is not null)
                s.ConfigureHttpContext(http =>
                {
                    http.Request.ContentType = "application/json";
                    http.Request.ContentLength = body.Length;
                    http.Request.Body = new MemoryStream(body);
                });
            s.IgnoreStatusCode();
        });
        return (result.Context.Response.StatusCode, result.Context.Response.ContentType ?? "", await result.ReadAsTextAsync());
    }
}
