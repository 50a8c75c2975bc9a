using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Lending.Api.Documents;
using Lending.Api.Setup;
using Lending.Domain.Escalation;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using MimeKit;
using Polly;

namespace Lending.Api.Notifications;

/// <summary>SMTP server settings (<c>Lending:Notifications:Smtp</c>).</summary>
public sealed class SmtpOptions
{
    public string Host { get; set; } = "localhost";
    public int Port { get; set; } = 25;
    /// <summary><c>none</c>, <c>starttls</c> or <c>ssl</c>.</summary>
    public string Security { get; set; } = "starttls";
    public string? Username { get; set; }
    public string? Password { get; set; }
    public string From { get; set; } = "collections@lender.example";
    public string FromName { get; set; } = "Collections";
}

/// <summary>An HTTP SMS gateway (<c>Lending:Notifications:SmsGateway</c>).</summary>
public sealed class SmsGatewayOptions
{
    public string? Url { get; set; }
    /// <summary>Sent as <c>Authorization: Bearer</c>.</summary>
    public string? ApiKey { get; set; }
    /// <summary>The request body; <c>{to}</c>, <c>{text}</c> and <c>{id}</c> are replaced by JSON-escaped values.</summary>
    public string BodyTemplate { get; set; } = """{"to":"{to}","text":"{text}","reference":"{id}"}""";
    /// <summary>Each attempt's timeout; the resilience pipeline retries 3 times with backoff inside one delivery.</summary>
    public int AttemptTimeoutSeconds { get; set; } = 10;
}

/// <summary>E-mail over SMTP (MailKit). The notice id is the Message-Id, so a resend is recognisable as the same message.</summary>
public sealed class SmtpNotificationAdapter(IOptions<LendingOptions> options) : INotificationAdapter
{
    public const string AdapterName = "smtp";
    public string Name => AdapterName;

    public async Task<DeliveryReceipt> SendAsync(Guid loanId, Notice notice, CancellationToken ct)
    {
        var smtp = options.Value.Notifications.Smtp;
        var message = new MimeMessage
        {
            MessageId = $"{notice.NoticeId}@lending",
            Subject = notice.Kind == NoticeKind.DemandLetter ? "催告函 / Demand for payment" : "还款提醒 / Payment reminder",
            Body = new TextPart("plain") { Text = notice.Text },
        };
        message.From.Add(new MailboxAddress(smtp.FromName, smtp.From));
        message.To.Add(MailboxAddress.Parse(notice.Recipient));
        message.Headers.Add("X-Loan-Id", loanId.ToString());

        using var client = new SmtpClient();
        await client.ConnectAsync(smtp.Host, smtp.Port, smtp.Security switch
        {
            "none" => SecureSocketOptions.None,
            "ssl" => SecureSocketOptions.SslOnConnect,
            _ => SecureSocketOptions.StartTlsWhenAvailable,
        }, ct);
        if (!string.IsNullOrEmpty(smtp.Username)) await client.AuthenticateAsync(smtp.Username, smtp.Password ?? "", ct);
        var response = await client.SendAsync(message, ct);
        await client.DisconnectAsync(true, ct);
        return new DeliveryReceipt(AdapterName, Reference: $"<{message.MessageId}> {response}".Trim());
    }
}

/// <summary>SMS through a configurable HTTP gateway; retries and timeouts come from the standard resilience pipeline.</summary>
public sealed class SmsGatewayAdapter(IHttpClientFactory http, IOptions<LendingOptions> options) : INotificationAdapter
{
    public const string AdapterName = "sms-gateway";
    public const string HttpClientName = "sms-gateway";
    public string Name => AdapterName;

    public async Task<DeliveryReceipt> SendAsync(Guid loanId, Notice notice, CancellationToken ct)
    {
        var gateway = options.Value.Notifications.SmsGateway;
        if (string.IsNullOrWhiteSpace(gateway.Url))
            throw new NotificationDeliveryException(AdapterName, "Lending:Notifications:SmsGateway:Url is not set.");
        static string Json(string value) => JsonEncodedText.Encode(value).ToString();
        var body = gateway.BodyTemplate.Replace("{to}", Json(notice.Recipient)).Replace("{text}", Json(notice.Text))
            .Replace("{id}", Json(notice.NoticeId));
        using var request = new HttpRequestMessage(HttpMethod.Post, gateway.Url)
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        if (!string.IsNullOrEmpty(gateway.ApiKey)) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", gateway.ApiKey);

        using var response = await http.CreateClient(HttpClientName).SendAsync(request, ct);
        var answer = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode)
            throw new NotificationDeliveryException(AdapterName, $"the gateway answered {(int)response.StatusCode}: {answer[..Math.Min(200, answer.Length)]}");
        return new DeliveryReceipt(AdapterName, Reference: answer.Length > 200 ? answer[..200] : answer);
    }
}

/// <summary>
/// Letters for a print vendor: each rendered as a PDF (the borrower's Chinese name renders) into the print outbox,
/// named by the notice id, its SHA-256 in the event. The same notice renders the same bytes.
/// </summary>
public sealed class PrintOutboxAdapter(IOptions<LendingOptions> options, IHostEnvironment environment, DocumentFonts fonts) : INotificationAdapter
{
    public const string AdapterName = "print";
    public string Name => AdapterName;

    public async Task<DeliveryReceipt> SendAsync(Guid loanId, Notice notice, CancellationToken ct)
    {
        var report = new PdfReport(fonts);
        foreach (var (line, index) in notice.Text.Split('\n').Select((l, i) => (l, i)))
            if (index == 0) report.Heading(line); else report.Paragraph(line);
        report.Paragraph($"To / 收件: {notice.Recipient}", 9f).Paragraph($"Ref {notice.NoticeId}", 8f);
        var pdf = report.Render(notice.Kind == NoticeKind.DemandLetter ? "Demand for payment" : "Notice", notice.NoticeId,
            new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero));

        var directory = Path.Combine(environment.ContentRootPath, options.Value.Notifications.PrintOutbox);
        Directory.CreateDirectory(directory);
        var file = $"{notice.NoticeId}.pdf";
        await File.WriteAllBytesAsync(Path.Combine(directory, file), pdf, ct);
        return new DeliveryReceipt(AdapterName, Reference: file, Document: file, Sha256: Convert.ToHexStringLower(SHA256.HashData(pdf)));
    }
}

public static class NotificationSetup
{
    public static IServiceCollection AddLendingNotifications(this IServiceCollection services)
    {
        services.AddSingleton<INotificationAdapter, FileNotificationAdapter>();
        services.AddSingleton<INotificationAdapter, SmtpNotificationAdapter>();
        services.AddSingleton<INotificationAdapter, SmsGatewayAdapter>();
        services.AddSingleton<INotificationAdapter, PrintOutboxAdapter>();
        services.AddSingleton<INotificationSender, NotificationRouter>();
        Wolverine.HostBuilderExtensions.AddWolverineExtension<NoticeRetryPolicy>(services);
        services.AddHttpClient(SmsGatewayAdapter.HttpClientName).AddResilienceHandler("sms-gateway", (pipeline, context) =>
        {
            var seconds = context.ServiceProvider.GetRequiredService<IOptions<LendingOptions>>().Value.Notifications.SmsGateway.AttemptTimeoutSeconds;
            // Network waits are wall-clock time, whatever clock the lending logic is given (tests move theirs by hand).
            pipeline.TimeProvider = TimeProvider.System;
            pipeline.AddTimeout(TimeSpan.FromSeconds(4 * seconds + 10))
                .AddRetry(new HttpRetryStrategyOptions
                {
                    MaxRetryAttempts = 3, Delay = TimeSpan.FromMilliseconds(200), BackoffType = DelayBackoffType.Exponential, UseJitter = true,
                })
                .AddTimeout(TimeSpan.FromSeconds(seconds));
        });
        return services;
    }
}
