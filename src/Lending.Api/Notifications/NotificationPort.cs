using Lending.Api.Setup;
using Wolverine.ErrorHandling;
using Lending.Domain.Escalation;
using Microsoft.Extensions.Options;

namespace Lending.Api.Notifications;

/// <summary>
/// What a channel's adapter says once it accepted a notice: which adapter (<c>file</c>, <c>smtp</c>, <c>sms-gateway</c>,
/// <c>print</c>), the provider's reference for it, and for a document (a printed letter) its file and SHA-256.
/// </summary>
public sealed record DeliveryReceipt(string Adapter, string? Reference = null, string? Document = null, string? Sha256 = null);

/// <summary>The port through which notices leave the service. A notice is recorded as sent only once an adapter accepted it.</summary>
public interface INotificationSender
{
    /// <summary>
    /// Delivers the notice, or throws <see cref="NotificationDeliveryException"/>. Called again with the same
    /// <see cref="Notice.NoticeId"/> after a crash or a failure: adapters pass the id on so providers can de-duplicate.
    /// </summary>
    Task<DeliveryReceipt> SendAsync(Guid loanId, Notice notice, CancellationToken ct);
}

/// <summary>A channel refused or failed to take a notice; Wolverine retries the action with backoff, then dead-letters it.</summary>
public sealed class NotificationDeliveryException(string adapter, string message, Exception? inner = null)
    : Exception($"{adapter}: {message}", inner)
{
    public string Adapter { get; } = adapter;
}

/// <summary>
/// Sends each notice through the adapter configured for its channel (<c>Lending:Notifications:Channels</c>, e.g.
/// <c>sms: sms-gateway</c>, <c>email: smtp</c>, <c>letter: print</c>); a channel not configured goes to the file sink.
/// </summary>
public sealed class NotificationRouter(IOptions<LendingOptions> options, IEnumerable<INotificationAdapter> adapters) : INotificationSender
{
    private readonly Dictionary<string, INotificationAdapter> _adapters = adapters.ToDictionary(a => a.Name);

    public async Task<DeliveryReceipt> SendAsync(Guid loanId, Notice notice, CancellationToken ct)
    {
        var name = options.Value.Notifications.Channels.GetValueOrDefault(notice.Channel, FileNotificationAdapter.AdapterName);
        var adapter = _adapters.GetValueOrDefault(name)
            ?? throw new InvalidOperationException($"Lending:Notifications:Channels:{notice.Channel} names '{name}', which is no adapter.");
        try
        {
            return await adapter.SendAsync(loanId, notice, ct);
        }
        catch (Exception e) when (e is not NotificationDeliveryException && !ct.IsCancellationRequested)
        {
            // Refused, unreachable or timed out: the channel did not take it.
            throw new NotificationDeliveryException(name, e is OperationCanceledException ? "timed out" : e.Message, e);
        }
    }
}

/// <summary>One channel's delivery: SMTP, an SMS gateway, a print outbox, a file.</summary>
public interface INotificationAdapter
{
    string Name { get; }
    Task<DeliveryReceipt> SendAsync(Guid loanId, Notice notice, CancellationToken ct);
}

/// <summary>
/// The development default: writes each notice to a file named by its id under <c>Lending:Notifications:Directory</c>,
/// so a resend overwrites instead of duplicating. Its events say <c>delivery: file</c>: nothing reached a borrower.
/// </summary>
public sealed class FileNotificationAdapter(IOptions<LendingOptions> options, IHostEnvironment environment,
    ILogger<FileNotificationAdapter> logger) : INotificationAdapter
{
    public const string AdapterName = "file";
    public string Name => AdapterName;

    public async Task<DeliveryReceipt> SendAsync(Guid loanId, Notice notice, CancellationToken ct)
    {
        var directory = Path.Combine(environment.ContentRootPath, options.Value.Notifications.Directory);
        Directory.CreateDirectory(directory);
        var file = Path.Combine(directory, $"{notice.NoticeId}.txt");
        await File.WriteAllTextAsync(file, $"To: {notice.Recipient} ({notice.Channel})\nLoan: {loanId}\n\n{notice.Text}\n", ct);
        logger.LogInformation("Notice {NoticeId} ({Kind}) written to the file sink for loan {LoanId}", notice.NoticeId, notice.Kind, loanId);
        return new DeliveryReceipt(AdapterName, Reference: file);
    }
}

/// <summary>
/// A channel that refused a notice: the action is tried again with backoff (<c>Lending:Notifications:RetryCooldownSeconds</c>),
/// then given up to the dead letters an admin sees at <c>GET /notices/failed</c> and can retry from there.
/// </summary>
public sealed class NoticeRetryPolicy(IOptions<LendingOptions> options) : Wolverine.IWolverineExtension
{
    public void Configure(Wolverine.WolverineOptions opts)
    {
        var cooldowns = options.Value.Notifications.RetryCooldownSeconds.Select(s => TimeSpan.FromSeconds(s)).ToArray();
        opts.OnException<NotificationDeliveryException>().RetryWithCooldown(cooldowns.Length > 0 ? cooldowns : [TimeSpan.FromSeconds(1)])
            .Then.MoveToErrorQueue();
    }
}
