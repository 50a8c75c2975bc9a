using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Lending.Api.Notifications;
using Lending.Api.Setup;
using Lending.Api.Tests.Infrastructure;
using Lending.Domain.Escalation;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Lending.Api.Tests.Notifications;

/// <summary>The SMS gateway adapter against a real local HTTP server standing in for the gateway.</summary>
public class SmsGatewayAdapterTests : IAsyncLifetime
{
    private readonly HttpListener _listener = new();
    private readonly int _port = TestSmtpServer.FreePort();
    private readonly ConcurrentQueue<(string Authorization, JsonElement Body)> _received = new();
    private readonly Queue<int> _answers = new();
    private Task _serving = Task.CompletedTask;

    public Task InitializeAsync()
    {
        _listener.Prefixes.Add($"http://127.0.0.1:{_port}/");
        _listener.Start();
        _serving = Task.Run(async () =>
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try { context = await _listener.GetContextAsync(); } catch { return; }
                using var reader = new StreamReader(context.Request.InputStream);
                _received.Enqueue((context.Request.Headers["Authorization"] ?? "", JsonDocument.Parse(await reader.ReadToEndAsync()).RootElement));
                int status;
                lock (_answers) status = _answers.Count > 0 ? _answers.Dequeue() : 200;
                context.Response.StatusCode = status;
                await using (var writer = new StreamWriter(context.Response.OutputStream))
                    await writer.WriteAsync(status == 200 ? """{"id":"gw-123"}""" : """{"error":"busy"}""");
            }
        });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _listener.Stop();
        await _serving;
    }

    private INotificationSender Sender()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Lending:Notifications:Channels:sms"] = "sms-gateway",
            ["Lending:Notifications:SmsGateway:Url"] = $"http://127.0.0.1:{_port}/send",
            ["Lending:Notifications:SmsGateway:ApiKey"] = "secret-key",
            ["Lending:Notifications:SmsGateway:AttemptTimeoutSeconds"] = "2",
        }).Build();
        var services = new ServiceCollection().AddLogging().AddLendingOptions(configuration);
        services.AddSingleton<IHostEnvironment>(new Microsoft.Extensions.Hosting.Internal.HostingEnvironment { ContentRootPath = Path.GetTempPath() });
        return services.BuildServiceProvider().GetRequiredService<INotificationSender>();
    }

    private static readonly Notice Reminder = new("n-1", NoticeKind.Reminder, "sms", "+86-138-0000-0000", "【还款提醒】李雷您好 \"1,066.19 CNY\"");

    [Fact]
    public async Task A_text_message_reaches_the_gateway_with_credentials_and_template()
    {
        var receipt = await Sender().SendAsync(Guid.NewGuid(), Reminder, CancellationToken.None);

        Assert.Equal(("sms-gateway", """{"id":"gw-123"}"""), (receipt.Adapter, receipt.Reference));
        var (authorization, body) = Assert.Single(_received);
        Assert.Equal("Bearer secret-key", authorization);
        Assert.Equal(("+86-138-0000-0000", Reminder.Text, "n-1"),
            (body.GetProperty("to").GetString(), body.GetProperty("text").GetString(), body.GetProperty("reference").GetString()));
    }

    [Fact]
    public async Task A_busy_gateway_is_retried_with_backoff_and_a_failing_one_is_a_delivery_failure()
    {
        lock (_answers) { _answers.Enqueue(503); _answers.Enqueue(503); }
        Assert.Equal("sms-gateway", (await Sender().SendAsync(Guid.NewGuid(), Reminder, CancellationToken.None)).Adapter);
        Assert.Equal(3, _received.Count); // two refusals, then accepted

        lock (_answers) for (var i = 0; i < 10; i++) _answers.Enqueue(500);
        var failure = await Assert.ThrowsAsync<NotificationDeliveryException>(() => Sender().SendAsync(Guid.NewGuid(), Reminder, CancellationToken.None));
        Assert.Equal("sms-gateway", failure.Adapter);
        Assert.Equal(3 + 4, _received.Count); // the first try and 3 retries
    }
}
