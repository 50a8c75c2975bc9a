using System.Collections.Concurrent;
using System.Net;

namespace Lending.Api.Tests.Infrastructure;

/// <summary>A local HTTP server standing in for an SMS gateway: it keeps what it receives, or refuses while told to fail.</summary>
public sealed class StubSmsGateway : LocalHttpStub
{
    public string Url => $"http://127.0.0.1:{Port}/send";
    public volatile bool Failing;
    public ConcurrentQueue<string> Received { get; } = new();
    public int Refused;

    public StubSmsGateway() => Start();

    protected override async Task Answer(HttpListenerContext context)
    {
        using (var reader = new StreamReader(context.Request.InputStream)) Received.Enqueue(await reader.ReadToEndAsync());
        if (Failing) Interlocked.Increment(ref Refused);
        context.Response.StatusCode = Failing ? 503 : 200;
        await using (var writer = new StreamWriter(context.Response.OutputStream))
            await writer.WriteAsync(Failing ? """{"error":"unavailable"}""" : $$"""{"id":"gw-{{Received.Count}}"}""");
    }
}
