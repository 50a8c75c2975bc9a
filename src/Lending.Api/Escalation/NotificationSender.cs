using Lending.Api.Setup;
using Lending.Domain.Escalation;
using Microsoft.Extensions.Options;

namespace Lending.Api.Escalation;

/// <summary>The port through which notices leave the service (SMS, e-mail, letters). Providers plug in here.</summary>
public interface INotificationSender
{
    /// <summary>Sends the notice. Called again with the same <see cref="Notice.NoticeId"/> after a crash: must not duplicate.</summary>
    Task SendAsync(Guid loanId, Notice notice, CancellationToken ct);
}

/// <summary>
/// The default sender: writes each notice to a file named by its id under <c>Lending:Notifications:Directory</c> (and
/// logs it), so a resend overwrites instead of duplicating. Replace with a real SMS/e-mail/print provider in production.
/// </summary>
public sealed class FileNotificationSender(IOptions<LendingOptions> options, IHostEnvironment environment,
    ILogger<FileNotificationSender> logger) : INotificationSender
{
    public async Task SendAsync(Guid loanId, Notice notice, CancellationToken ct)
    {
        var directory = Path.Combine(environment.ContentRootPath, options.Value.Notifications.Directory);
        Directory.CreateDirectory(directory);
        var file = Path.Combine(directory, $"{notice.NoticeId}.txt");
        await File.WriteAllTextAsync(file, $"To: {notice.Recipient} ({notice.Channel})\nLoan: {loanId}\n\n{notice.Text}\n", ct);
        logger.LogInformation("Notice {NoticeId} ({Kind}) sent by {Channel} for loan {LoanId}", notice.NoticeId, notice.Kind, notice.Channel, loanId);
    }
}
