using System.Net;

namespace Lending.Api.Tests.Infrastructure;

/// <summary>A local HTTP server standing in for a third party in tests: each request is answered by <see cref="Answer"/>.</summary>
public abstract class LocalHttpStub : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private Task _serving = Task.CompletedTask;

    public int Port { get; } = TestSmtpServer.FreePort();

    /// <summary>Starts listening; called by the subclass once it is ready to answer.</summary>
    protected void Start()
    {
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _serving = Task.Run(Serve);
    }

    protected abstract Task Answer(HttpListenerContext context);

    private async Task Serve()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync(); } catch { return; }
            await Answer(context);
        }
    }

    public virtual async ValueTask DisposeAsync()
    {
        _listener.Stop();
        await _serving;
    }
}
