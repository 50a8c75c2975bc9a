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
    public static Notice? For(Loan loan, EscalationAction action, EscalationStage stage, DateOnly date, int responseDays = 15)
    {
        var p = LoanPosition.Of(loan, date);
        var chinese = loan.Terms.ConductProfile == ConductProfile.CnNifa;
        string Money(decimal v) => $"{v.ToString("N2", CultureInfo.InvariantCulture)} {loan.Currency}";
        var id = IdFor(loan.Id, date, stage);
        return action switch
        {
            // By text message; by e-mail where the borrower gave no phone; in the app otherwise.
            EscalationAction.ReminderNotice => new Notice(id, NoticeKind.Reminder,
                loan.Borrower.Phone is not null ? "sms" : loan.Borrower.Email is not null ? "email" : "app",
                loan.Borrower.Phone ?? loan.Borrower.Email ?? loan.Borrower.Id,
                chinese
                    ? $"【还款提醒】{loan.Borrower.Name}您好，您的借款有 {Money(p.Arrears)} 已到期未还（逾期 {p.Dpd} 天）。如有困难请联系我们协商还款方案。"
                    : $"Reminder: {loan.Borrower.Name}, {Money(p.Arrears)} of your loan is {p.Dpd} days past due. If you are having difficulty, contact us to agree a plan."),
            EscalationAction.DemandLetter => new Notice(id, NoticeKind.DemandLetter, "letter", loan.Borrower.Address ?? loan.Borrower.Id,
                DemandLetter(loan, p, date, Money, chinese, responseDays)),
            _ => null,
        };
    }

    private static string DemandLetter(Loan loan, LoanPosition p, DateOnly date, Func<decimal, string> money, bool chinese, int responseDays)
    {
        var lines = new List<string>();
        if (chinese)
        {
            lines.Add("催告函");
            lines.Add($"{loan.Borrower.Name}（借款人编号 {loan.Borrower.Id}）：");
            lines.Add($"您于 {loan.DisbursedOn:yyyy年M月d日} 借款 {money(loan.Principal)}（合同编号 {loan.Id}），截至 {date:yyyy年M月d日} 已逾期 {p.Dpd} 天。");
            lines.Add($"尚欠：本金 {money(p.PrincipalOutstanding)}，利息 {money(p.InterestOutstanding)}，罚息 {money(p.PenaltyOutstanding)}，费用 {money(p.FeesOutstanding)}，合计 {money(p.TotalOutstanding)}。");
            lines.Add($"请于收到本函之日起 {responseDays} 日内还款或与我们联系协商分期、延期等还款安排。");
        }
        lines.Add("DEMAND FOR PAYMENT");
        lines.Add($"To {loan.Borrower.Name} (borrower {loan.Borrower.Id}), loan {loan.Id} of {money(loan.Principal)} disbursed on {loan.DisbursedOn:yyyy-MM-dd}.");
        lines.Add($"As of {date:yyyy-MM-dd} the loan is {p.Dpd} days past due. Owed: principal {money(p.PrincipalOutstanding)}, " +
                  $"interest {money(p.InterestOutstanding)}, penalty {money(p.PenaltyOutstanding)}, fees {money(p.FeesOutstanding)}; " +
                  $"total {money(p.TotalOutstanding)}.");
        lines.Add($"Please pay within {responseDays} days of this letter, or contact us to agree an extension or instalment plan.");
        return string.Join('\n', lines);
    }
}
