using Lending.Domain.Escalation;
using Lending.Domain.Loans;
using Lending.Domain.Loans.Delinquency;
using Lending.Domain.Products;
using Lending.Domain.Tests.Loans;

namespace Lending.Domain.Tests.Escalation;

public class NoticeTemplateTests
{
    private static readonly DateOnly Day1 = new(2026, 2, 16);

    private static string Reminder(LoanBuilder b, NoticeTemplates templates) =>
        templates.Render(b.Loan, NoticeKind.Reminder, LoanPosition.Of(b.Loan, Day1), Day1, 15);

    [Fact]
    public void The_built_in_texts_are_the_profiles_languages()
    {
        Assert.Equal("【还款提醒】Wang Fang您好，您的借款有 1,066.19 CNY 已到期未还（逾期 1 天）。如有困难请联系我们协商还款方案。",
            Reminder(LoanBuilder.Disbursed().CloseThrough(Day1), NoticeTemplates.Default));
        Assert.StartsWith("Reminder: Wang Fang, 1,066.19 CNY of your loan is 1 days past due.",
            Reminder(LoanBuilder.Disbursed(profile: ConductProfile.UsRegF).CloseThrough(Day1), NoticeTemplates.Default));
    }

    [Fact]
    public void A_products_texts_win_over_its_profiles_and_every_configured_language_is_used_chinese_first()
    {
        var templates = NoticeTemplates.With(new Dictionary<string, string>
        {
            ["P.reminder.en"] = "Dear {name}: {arrears}, {dpd} days.\\nLoan {loanId} {unknown}",
            ["P.reminder.zh"] = "{name}：{arrears}",
            ["CN-NIFA.reminder.zh"] = "never used for product P",
        });

        var text = Reminder(LoanBuilder.Disbursed().CloseThrough(Day1), templates);

        Assert.Equal($"Wang Fang：1,066.19 CNY\nDear Wang Fang: 1,066.19 CNY, 1 days.\nLoan {LoanBuilder.LoanId} {{unknown}}", text);
    }
}
