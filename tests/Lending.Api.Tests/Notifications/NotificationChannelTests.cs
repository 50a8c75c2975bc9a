using System.Security.Cryptography;
using System.Text.Json;
using Lending.Api.Auth;
using Lending.Api.Tests.Infrastructure;

namespace Lending.Api.Tests.Notifications;

/// <summary>
/// Notices delivered through real channels: e-mail to an SMTP server in the test process, letters as PDF files in the
/// print outbox. CASH-12M disbursed 31 Jan 2026; the reminder goes out on 1 Mar, the demand letter on 30 Apr.
/// </summary>
public class NotificationChannelTests(AppFixture app) : ApiTest(app)
{
    [Fact]
    public async Task A_reminder_to_a_borrower_without_a_phone_arrives_by_email_at_the_smtp_server()
    {
        ClockAtShanghai(new TimeOnly(10, 0));
        await DefineCashProduct();
        var loanId = Guid.NewGuid();
        var email = $"li.lei.{loanId:N}@example.com";
        await As(Roles.Supervisor, s =>
        {
            s.Post.Json(new
            {
                loanId, productCode = "CASH-12M", principal = 12_000m, currency = "CNY",
                borrower = new { id = "B-9", name = "李雷", email, timeZone = "Asia/Shanghai" },
            }).ToUrl("/loans");
            s.StatusCodeShouldBe(201);
        });

        await AdvanceDays(28 + 1);

        var sent = Assert.Single(await LoanEvents(loanId, "notice_sent"));
        Assert.Equal(("email", "smtp"), (sent.GetProperty("channel").GetString(), sent.GetProperty("delivery").GetString()));
        var message = Assert.Single(App.Smtp.Received, m => m.To.Mailboxes.Any(b => b.Address == email));
        Assert.Equal($"{sent.GetProperty("noticeId").GetString()}@lending", message.MessageId);
        Assert.Contains("李雷", message.TextBody);
        Assert.Contains("1,066.19 CNY", message.TextBody);
        Assert.Equal(loanId.ToString(), message.Headers["X-Loan-Id"]);
    }

    [Fact]
    public async Task A_demand_letter_is_a_pdf_in_the_print_outbox_with_its_hash_in_the_event()
    {
        ClockAtShanghai(new TimeOnly(10, 0));
        await DefineCashProduct();
        var loanId = await DisburseLoan();

        await AdvanceDays(28 + 61);

        var letter = Assert.Single(await LoanEvents(loanId, "notice_sent"), n => n.GetProperty("kind").GetString() == "demand_letter");
        Assert.Equal(("letter", "print"), (letter.GetProperty("channel").GetString(), letter.GetProperty("delivery").GetString()));
        var pdf = await File.ReadAllBytesAsync(Path.Combine(App.PrintOutbox, letter.GetProperty("document").GetString()!));
        Assert.Equal("%PDF"u8.ToArray(), pdf[..4]);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(pdf)), letter.GetProperty("documentSha256").GetString());
        // The reminder went by text message, to the development file sink, and says so.
        var reminder = Assert.Single(await LoanEvents(loanId, "notice_sent"), n => n.GetProperty("kind").GetString() == "reminder");
        Assert.Equal(("sms", "file"), (reminder.GetProperty("channel").GetString(), reminder.GetProperty("delivery").GetString()));
    }
}

/// <summary>Notice texts come from configuration: a product's own over its profile's, each language configured, Chinese first.</summary>
public class NoticeTemplateTests(AppFixture app) : ApiTest(app)
{
    [Fact]
    public async Task A_products_own_reminder_text_is_used_in_both_languages()
    {
        ClockAtShanghai(new TimeOnly(10, 0));
        await AsAdmin(s =>
        {
            s.Put.Json(new { name = "Micro 30 days", amortization = "bullet", termDays = 30, annualRate = 0.18m, currency = "CNY" })
                .ToUrl("/products/MICRO-30");
            s.StatusCodeShouldBeOk();
        });
        var loanId = await DisburseLoan(10m, "MICRO-30");

        await AdvanceDays(30 + 1); // due 2 Mar; DPD 1

        var sent = (await ReadJson(await As(Roles.Legal, s => s.Get.Url($"/loans/{loanId}/events")))).EnumerateArray()
            .Single(e => e.GetProperty("type").GetString() == "notice_sent").GetProperty("data");
        Assert.Equal("【小额提醒】Wang Fang，逾期 1 天，欠款 10.15 CNY。\nMicro loan: Wang Fang, 10.15 CNY is 1 days late.",
            sent.GetProperty("text").GetString());
    }
}
