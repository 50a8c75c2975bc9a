using System.Globalization;
using Lending.Api.Documents;

namespace Lending.Api.Loans;

/// <summary>The payoff certificate as a printable PDF, in Chinese and English.</summary>
public static class PayoffCertificatePdf
{
    public const string ContentType = "application/pdf";

    public static byte[] Render(PayoffCertificate c, DocumentFonts fonts)
    {
        string Amount(decimal v) => $"{v.ToString("N2", CultureInfo.InvariantCulture)} {c.Currency}";
        var report = new PdfReport(fonts)
            .Heading("结清证明 / Payoff Certificate")
            .Paragraph($"证明编号 Certificate No. {c.CertificateNumber}")
            .Fields([
                ("借款人 Borrower", $"{c.Borrower.Name} ({c.Borrower.Id})"),
                ("证件号码 National ID", c.Borrower.NationalId ?? "—"),
                ("贷款编号 Loan", c.LoanId.ToString()),
                ("产品 Product", c.ProductCode),
                ("放款日 Disbursed on", c.DisbursedOn.ToString("yyyy-MM-dd")),
                ("本金 Principal", Amount(c.Principal)),
                ("结清日 Closed on", c.ClosedOn.ToString("yyyy-MM-dd")),
                ("状态 Status", System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(c.Status.ToString())),
            ])
            .Subheading("已还款项 Amounts repaid")
            .Table(["本金 Principal", "利息 Interest", "罚息 Penalty", "费用 Fees", "合计 Total"],
                [[Amount(c.Paid.Principal), Amount(c.Paid.Interest), Amount(c.Paid.Penalty), Amount(c.Paid.Fees), Amount(c.Paid.Total)]],
                [1, 1, 1, 1, 1.1f]);
        if (c.InterestWaived > 0 || c.Overpaid > 0)
            report.Fields([("减免利息 Interest waived", Amount(c.InterestWaived)), ("多付待退 Overpaid, to refund", Amount(c.Overpaid))]);
        report.Subheading("还款记录 Payments")
            .Table(["日期 Date", "参考号 Reference", "金额 Amount"],
                c.Payments.Select(p => (IReadOnlyList<string>)[p.PaidOn.ToString("yyyy-MM-dd"), p.Reference, Amount(p.Amount)]),
                [1, 2, 1])
            .Paragraph($"兹证明上述贷款已于 {c.ClosedOn:yyyy年M月d日} 全部结清，借款人在本合同项下不再负有任何还款义务。")
            .Paragraph(c.Statement)
            .Paragraph($"出具日期 Issued on {c.IssuedOn:yyyy-MM-dd}", 9f);

        var date = new DateTimeOffset(c.IssuedOn.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        return report.Render($"Payoff certificate {c.CertificateNumber}", $"Loan {c.LoanId}", date);
    }
}
