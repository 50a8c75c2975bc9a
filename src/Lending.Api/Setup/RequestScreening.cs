using System.Text.Json;

namespace Lending.Api.Setup;

/// <summary>
/// Refuses, before any endpoint runs, request bodies and queries that no endpoint can take: a JSON body that is
/// <c>null</c> (every body here is an object) and NUL characters, which PostgreSQL cannot store in text. Both get a
/// 400 ProblemDetails with a stable code instead of failing deep inside a handler.
/// </summary>
public sealed class RequestScreening(RequestDelegate next)
{
    /// <summary>Bodies up to this size are screened; the API's commands are far smaller.</summary>
    private const int MaxScreenedBytes = 1 << 20;

    public async Task InvokeAsync(HttpContext http)
    {
        var request = http.Request;
        if (request.QueryString.HasValue && request.QueryString.Value!.Contains("%00", StringComparison.Ordinal))
        {
            await Refuse(http, "request.invalid_character", "The query contains a NUL character.");
            return;
        }
        if (HttpMethods.IsGet(request.Method) || request.ContentType?.Contains("json", StringComparison.OrdinalIgnoreCase) != true
            || request.ContentLength is > MaxScreenedBytes)
        {
            await next(http);
            return;
        }

        request.EnableBuffering();
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, http.RequestAborted);
        request.Body.Position = 0;
        var body = buffer.GetBuffer().AsSpan(0, (int)buffer.Length);

        switch (Screen(body))
        {
            case Verdict.Null:
                await Refuse(http, "request.malformed", "The request body must be a JSON object, not null.");
                break;
            case Verdict.Nul:
                await Refuse(http, "request.invalid_character", "The body contains a NUL character, which no field may hold.");
                break;
            default:
                await next(http);
                break;
        }
    }

    private enum Verdict { Pass, Null, Nul }

    /// <summary>Reads the JSON once; malformed JSON passes on, for the endpoint's reader to report where it breaks.</summary>
    private static Verdict Screen(ReadOnlySpan<byte> body)
    {
        if (body.IndexOf((byte)0) >= 0) return Verdict.Nul;
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 256 });
        try
        {
            var tokens = 0;
            while (reader.Read())
            {
                tokens++;
                if (tokens == 1 && reader.TokenType == JsonTokenType.Null && !reader.Read()) return Verdict.Null;
                if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName && reader.ValueIsEscaped
                    && reader.GetString()!.Contains('\0')) return Verdict.Nul;
            }
        }
        catch (JsonException) { }
        catch (InvalidOperationException) { }
        return Verdict.Pass;
    }

    private static async Task Refuse(HttpContext http, string code, string detail)
    {
        var problem = Problems.Create(StatusCodes.Status400BadRequest, code, detail);
        http.Response.StatusCode = StatusCodes.Status400BadRequest;
        await http.RequestServices.GetRequiredService<IProblemDetailsService>()
            .WriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem });
    }
}
