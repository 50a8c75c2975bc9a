using System.Collections.Concurrent;
using System.Net;

namespace Lending.Api.Tests.Infrastructure;

/// <summary>A local HTTP server standing in for an SMS gateway: it keeps what it receives, or refuses while told to fail.</summary>
public sealed class StubSmsGateway : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _serving;

    public int Port { get; } = TestSmtpServer.FreePort();
    public string Url => $"http://127.0.0.1:{Port}/send";
    public volatile bool Failing;
    public ConcurrentQueue<string> Received { get; } = new();
    public int Refused;

    public StubSmsGateway()
    {
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _serving = Task.Run(Serve);
    }

    private async Task Serve()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync(); } catch { return; }
            using (var reader = new StreamReader(context.Request.InputStream)) Received.Enqueue(await reader.ReadToEndAsync());
            if (Failing) Interlocked.Increment(ref Refused);
            context.Response.StatusCode = Failing ? 503 : 200;
            await using (var writer = new StreamWriter(context.Response.OutputStream))
                await writer.WriteAsync(Failing ? """{"error":"unavailable"}""" : $$"""{"id":"gw-{{Received.Count}}"}""");
        }
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        await _serving;
    }
}
