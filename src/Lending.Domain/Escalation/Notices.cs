using System.Globalization;
using Lending.Domain.Loans;
using Lending.Domain.Loans.Delinquency;
using Lending.Domain.Products;

namespace Lending.Domain.Escalation;

/// <summary>A notice to send, composed from the loan as it stands; its id makes sending it idempotent.</summary>
public sealed record Notice(string NoticeId, NoticeKind Kind, string Channel, string Recipient, string Text);

/// <summary>The texts of automatic notices: factual, polite, with the amounts and how to get help (humane collection).</summary>
public static class Notices
{
    /// <summary>One notice per loan, business date and stage: redelivery finds it already sent.</summary>
    public static string IdFor(Guid loanId, DateOnly date, EscalationStage stage) => $"{loanId:N}-{date:yyyyMMdd}-{stage}".ToLowerInvariant();

    /// <param name="responseDays">Days a demand letter gives the borrower (<see cref="LendingPolicy.DemandResponseDays"/>).</param>
    /// <param name="templates">Texts from configuration (<see cref="NoticeTemplates"/>); the built-in ones where none is given.</param>
    public static Notice? For(Loan loan, EscalationAction action, EscalationStage stage, DateOnly date, int responseDays = 15,
        NoticeTemplates? templates = null)
    {
        var id = IdFor(loan.Id, date, stage);
        var kind = action switch
        {
            EscalationAction.ReminderNotice => NoticeKind.Reminder,
            EscalationAction.DemandLetter => NoticeKind.DemandLetter,
            _ => (NoticeKind?)null,
        };
        if (kind is null) return null;
        var text = (templates ?? NoticeTemplates.Default).Render(loan, kind.Value, LoanPosition.Of(loan, date), date, responseDays);
        return kind == NoticeKind.Reminder
            // By text message; by e-mail where the borrower gave no phone; in the app otherwise.
            ? new Notice(id, NoticeKind.Reminder, loan.Borrower.Phone is not null ? "sms" : loan.Borrower.Email is not null ? "email" : "app",
                loan.Borrower.Phone ?? loan.Borrower.Email ?? loan.Borrower.Id, text)
            : new Notice(id, NoticeKind.DemandLetter, "letter", loan.Borrower.Address ?? loan.Borrower.Id, text);
    }
}

/// <summary>
/// Notice texts per product or conduct profile, kind and language, as configuration
/// (<c>Lending:Notifications:Templates</c>, keys <c>{product or profile}.{reminder|demand_letter}.{zh|en}</c>). A notice
/// carries every language configured for the most specific scope that has one, Chinese first; placeholders in braces
/// (<see cref="Placeholders"/>) are filled from the loan as of the notice's date.
/// </summary>
public sealed record NoticeTemplates(IReadOnlyDictionary<string, string> Templates)
{
    public static readonly IReadOnlyList<string> Placeholders =
    [
        "name", "borrowerId", "loanId", "principal", "disbursedOn", "disbursedOnZh", "date", "dateZh", "dpd", "arrears",
        "principalOutstanding", "interestOutstanding", "penaltyOutstanding", "feesOutstanding", "totalOutstanding", "responseDays",
    ];

    /// <summary>The built-in texts: factual, polite, with the amounts and how to get help (humane collection).</summary>
    public static readonly NoticeTemplates Default = new(new Dictionary<string, string>
    {
        ["CN-NIFA.reminder.zh"] = "【还款提醒】{name}您好，您的借款有 {arrears} 已到期未还（逾期 {dpd} 天）。如有困难请联系我们协商还款方案。",
        ["US-RegF.reminder.en"] = "Reminder: {name}, {arrears} of your loan is {dpd} days past due. If you are having difficulty, contact us to agree a plan.",
        ["CN-NIFA.demand_letter.zh"] = "催告函\n{name}（借款人编号 {borrowerId}）：\n您于 {disbursedOnZh} 借款 {principal}（合同编号 {loanId}），截至 {dateZh} 已逾期 {dpd} 天。\n" +
            "尚欠：本金 {principalOutstanding}，利息 {interestOutstanding}，罚息 {penaltyOutstanding}，费用 {feesOutstanding}，合计 {totalOutstanding}。\n" +
            "请于收到本函之日起 {responseDays} 日内还款或与我们联系协商分期、延期等还款安排。",
        ["CN-NIFA.demand_letter.en"] = DemandEnglish,
        ["US-RegF.demand_letter.en"] = DemandEnglish,
    });

    private const string DemandEnglish = "DEMAND FOR PAYMENT\nTo {name} (borrower {borrowerId}), loan {loanId} of {principal} disbursed on {disbursedOn}.\n" +
        "As of {date} the loan is {dpd} days past due. Owed: principal {principalOutstanding}, interest {interestOutstanding}, " +
        "penalty {penaltyOutstanding}, fees {feesOutstanding}; total {totalOutstanding}.\n" +
        "Please pay within {responseDays} days of this letter, or contact us to agree an extension or instalment plan.";

    private static readonly string[] Languages = ["zh", "en"];

    /// <summary>Configured texts over the built-in ones.</summary>
    public static NoticeTemplates With(IReadOnlyDictionary<string, string>? configured) =>
        configured is null || configured.Count == 0 ? Default
            : new(Default.Templates.Concat(configured).GroupBy(x => x.Key).ToDictionary(g => g.Key, g => g.Last().Value));

    public string Render(Loan loan, NoticeKind kind, LoanPosition p, DateOnly date, int responseDays)
    {
        var kindName = kind == NoticeKind.DemandLetter ? "demand_letter" : "reminder";
        var profile = loan.Terms.ConductProfile == ConductProfile.CnNifa ? "CN-NIFA" : "US-RegF";
        var texts = new[] { loan.ProductCode, profile }
            .Select(scope => Languages.Select(lang => Templates.GetValueOrDefault($"{scope}.{kindName}.{lang}")).OfType<string>().ToList())
            .FirstOrDefault(found => found.Count > 0)
            ?? throw new InvalidOperationException($"No {kindName} template for product {loan.ProductCode} or profile {profile}.");
        string Money(decimal v) => $"{v.ToString("N2", CultureInfo.InvariantCulture)} {loan.Currency}";
        var values = new Dictionary<string, string>
        {
            ["name"] = loan.Borrower.Name, ["borrowerId"] = loan.Borrower.Id, ["loanId"] = loan.Id.ToString(), ["principal"] = Money(loan.Principal),
            ["disbursedOn"] = loan.DisbursedOn.ToString("yyyy-MM-dd"), ["disbursedOnZh"] = loan.DisbursedOn.ToString("yyyy年M月d日"),
            ["date"] = date.ToString("yyyy-MM-dd"), ["dateZh"] = date.ToString("yyyy年M月d日"), ["dpd"] = p.Dpd.ToString(CultureInfo.InvariantCulture),
            ["arrears"] = Money(p.Arrears), ["principalOutstanding"] = Money(p.PrincipalOutstanding),
            ["interestOutstanding"] = Money(p.InterestOutstanding), ["penaltyOutstanding"] = Money(p.PenaltyOutstanding),
            ["feesOutstanding"] = Money(p.FeesOutstanding), ["totalOutstanding"] = Money(p.TotalOutstanding),
            ["responseDays"] = responseDays.ToString(CultureInfo.InvariantCulture),
        };
        return string.Join('\n', texts.Select(t => System.Text.RegularExpressions.Regex.Replace(t.Replace("\\n", "\n"), "{([A-Za-z]+)}",
            m => values.GetValueOrDefault(m.Groups[1].Value, m.Value))));
    }
}
