using System.Collections.Concurrent;
using Lending.Api.Notifications;
using Lending.Domain.Escalation;

namespace Lending.Api.Tests.Infrastructure;

/// <summary>Counts the notices a test host hands to its channels, by notice id, on the way to the real router.</summary>
public sealed class NoticeSends(INotificationSender inner) : INotificationSender
{
    public static ConcurrentDictionary<string, int> Counts { get; } = new();

    public async Task<DeliveryReceipt> SendAsync(Guid loanId, Notice notice, CancellationToken ct)
    {
        var receipt = await inner.SendAsync(loanId, notice, ct);
        Counts.AddOrUpdate(notice.NoticeId, 1, (_, n) => n + 1);
        return receipt;
    }
}
