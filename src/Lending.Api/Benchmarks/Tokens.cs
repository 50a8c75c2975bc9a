using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Lending.Api.Benchmarks;

/// <summary>Development tokens for the benchmark's users, fetched once per subject.</summary>
public sealed class Tokens(HttpClient http)
{
    private readonly ConcurrentDictionary<string, Task<string>> _tokens = new();

    public async Task<HttpRequestMessage> Request(HttpMethod method, string url, string role, object? body = null, string? subject = null)
    {
        var token = await _tokens.GetOrAdd($"{subject ?? role}|{role}", async _ =>
        {
            var response = await http.PostAsJsonAsync("/dev/token", new { subject = subject ?? $"bench-{role}", roles = new[] { role } });
            return (await response.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
        });
        var request = new HttpRequestMessage(method, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body is not null) request.Content = JsonContent.Create(body);
        return request;
    }
}
