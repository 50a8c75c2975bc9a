using System.Globalization;
using System.Text.Json;
using Lending.Api.Documents;
using Lending.Domain.Collections;
using Lending.Domain.Escalation;
using Lending.Domain.Litigation;
using Lending.Domain.Loans;
using Lending.Domain.Loans.Delinquency;
using Lending.Domain.Restructuring;

namespace Lending.Api.Evidence;

/// <summary>
/// The bundle's statement for a judge (Chinese and English): parties, contract, disbursement, schedule and ledger, what is
/// owed on the date and how it is computed, then every contact, notice, promise, restructure, complaint, escalation and
/// litigation step. Every page's footer carries the content root (the events this statement is drawn from) and n/N.
/// </summary>
public static class StatementPdf
{
    public static byte[] Render(EvidenceInput input, LoanPosition p, string contentRoot, DocumentFonts fonts)
    {
        var loan = input.Loan;
        var events = input.Events;
        string M(decimal v) => $"{v.ToString("N2", CultureInfo.InvariantCulture)} {loan.Currency}";
        static string D(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        static string T(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
        static string N(object v) => JsonNamingPolicy.SnakeCaseLower.ConvertName(v.ToString()!);
        static string Pct(decimal r) => (r * 100m).ToString("0.####", CultureInfo.InvariantCulture) + "%";
        var b = loan.Borrower;
        var disbursed = events.OfType<LoanDisbursed>().First();

        var report = new PdfReport(fonts)
            .Heading("证据包陈述 / Evidence Statement")
            .Paragraph($"贷款 Loan {loan.Id} · 截至 As of {D(input.AsOf)} · 事件 events v1–v{input.Leaves.Count} · 检查点 checkpoint {input.Checkpoint.TreeSize}")
            .Subheading("一、当事人 Parties and identity")
            .Fields([
                ("出借人 Lender", $"产品 product {loan.ProductCode}"),
                ("借款人 Borrower", $"{b.Name} ({b.Id})"),
                ("证件号码 National ID", b.NationalId ?? "—"),
                ("电话 Phone", b.Phone ?? "—"),
                ("电子邮件 E-mail", b.Email ?? "—"),
                ("地址 Address", b.Address ?? "—"),
                ("时区 Time zone", b.TimeZone),
            ])
            .Subheading("二、合同条款 Contract terms")
            .Fields([
                ("本金 Principal", M(loan.Principal)),
                ("年利率 Annual rate", $"{Pct(loan.Terms.AnnualRate)} ({loan.Terms.DayCount}, {loan.Terms.YearBasis} days)"),
                ("罚息利率 Penalty rate", $"{Pct(loan.Terms.PenaltyRate)} (×{loan.Terms.PenaltyMultiplier.ToString(CultureInfo.InvariantCulture)}, capped at {Pct(loan.Terms.RateCap)} − contract rate)"),
                ("利率上限 Rate cap", $"{Pct(loan.Terms.RateCap)}{(loan.Terms.FeesWithinCap ? "，含费用 fees counted" : "")}"),
                ("滞纳金 Late fee", M(loan.Terms.LateFee)),
                ("宽限期 Grace", $"{loan.Terms.GraceDays} 天 days"),
                ("期数 Instalments", loan.Schedule.Count().ToString(CultureInfo.InvariantCulture)),
            ])
            .Subheading("三、放款 Disbursement")
            .Fields([
                ("放款日 Disbursed on", D(loan.DisbursedOn)),
                ("经办 By", $"{disbursed.DisbursedBy}, {T(disbursed.RecordedAt)}"),
                ("地区/网点 Region/branch", $"{loan.Region ?? "—"} / {loan.Branch ?? "—"}"),
            ])
            .Subheading("四、还款计划与台账 Schedule and repayment ledger")
            .Table(["期 No.", "到期日 Due", "本金 Principal", "利息 Interest", "罚息 Penalty", "费用 Fees", "已还 Paid", "状态 Status"],
                loan.Installments.Select(i => (IReadOnlyList<string>)[i.Number.ToString(CultureInfo.InvariantCulture), D(i.DueDate), M(i.Principal),
                    M(i.Interest), M(i.Penalty), M(i.Fees), M(i.TotalPaid), N(LoanPosition.StatusOf(i, input.AsOf))]),
                [0.6f, 1.1f, 1.3f, 1.2f, 1.1f, 1f, 1.3f, 1f])
            .Table(["日期 Date", "参考号 Reference", "金额 Amount", "本金 Principal", "利息 Interest", "罚息 Penalty", "费用 Fees"],
                loan.Payments.OrderBy(x => x.PaidOn).ThenBy(x => x.Reference, StringComparer.Ordinal).Select(x =>
                {
                    var lines = x.Lines;
                    return (IReadOnlyList<string>)[D(x.PaidOn), x.Reference, M(x.Amount), M(lines.Sum(l => l.Principal)), M(lines.Sum(l => l.Interest)),
                        M(lines.Sum(l => l.Penalty)), M(lines.Sum(l => l.Fees))];
                }),
                [1, 1.4f, 1.2f, 1.2f, 1.1f, 1.1f, 1])
            .Subheading($"五、截至 {D(input.AsOf)} 的欠款 Amounts owed as of {D(input.AsOf)}")
            .Table(["本金 Principal", "利息 Interest", "罚息 Penalty", "费用 Fees", "合计 Total"],
                [[M(p.PrincipalOutstanding), M(p.InterestOutstanding), M(p.PenaltyOutstanding), M(p.FeesOutstanding), M(p.TotalOutstanding)]],
                [1, 1, 1, 1, 1.1f])
            .Paragraph($"逾期天数 Days past due: {p.Dpd}；逾期本息 arrears: {M(p.Arrears)}。计算方法 Calculation: 各期利息自该期开始之日起计入，" +
                       $"罚息按逾期本金每日计提，罚息率 {Pct(loan.Terms.PenaltyRate)} 不超过利率上限减合同利率；ledger.csv 逐期列出应收、已还、减免与未还，合计即上表。" +
                       " Interest is owed for each period once it has begun; penalty accrues daily on overdue principal at a rate never above the cap " +
                       "less the contract rate; ledger.csv lists each instalment's charged, paid, waived and outstanding amounts, which add up to the table above.");

        var contacts = events.OfType<ContactRecorded>().ToList();
        report.Subheading("六、联系记录 Contact history")
            .Table(["时间 When", "渠道 Channel", "对象 Party", "结果 Outcome", "经办 By", "摘要 Summary"],
                contacts.Select(c => (IReadOnlyList<string>)[c.OccurredAt.ToString("yyyy-MM-dd HH:mm zzz", CultureInfo.InvariantCulture),
                    $"{N(c.Channel)} {N(c.Direction)}", N(c.Party), N(c.Outcome), c.Agent, c.Summary]),
                [1.5f, 1.1f, 0.9f, 1.1f, 0.9f, 2.5f]);

        Section(report, "七、通知及送达 Notices and their delivery", events, e => e switch
        {
            NoticeSent n => $"{N(n.Kind)} 已发送 sent by {n.Channel} to {n.Recipient} at {T(n.SentAt)}; delivery {n.Delivery ?? "—"} {n.DeliveryReference ?? ""}" +
                            $"{(n.DocumentSha256 is null ? "" : $"; document SHA-256 {n.DocumentSha256}")}{(n.ConductException is null ? "" : $"; exception {n.ConductException}")}. 「{n.Text}」",
            NoticeHeld h => $"{N(h.Kind)} 暂缓 held ({h.Rule}) until {T(h.Until)}",
            NoticeSuppressed s => $"{N(s.Kind)} 未发送 suppressed: {string.Join(", ", s.Rules)}",
            NoticeDeliveryFailed f => $"{N(f.Kind)} 送达失败 delivery failed via {f.Adapter}, attempt {f.Attempt}: {f.Error}",
            _ => null,
        });
        Section(report, "八、还款承诺 Promises to pay", events, e => e switch
        {
            PromiseToPayMade m => $"承诺 promised {M(m.Amount)} by {D(m.DueOn)}",
            PromiseKept k => $"已履行 kept: paid {M(k.Paid)}",
            PromiseBroken x => $"未履行 broken: {M(x.Paid)} of {M(x.Amount)} paid by {D(x.DueOn)}",
            PromiseSuperseded => "被新承诺取代 superseded by a new promise",
            _ => null,
        });
        Section(report, "九、协商还款 Restructure requests and agreements", events, e => e switch
        {
            RestructureRequested r => $"申请 requested {N(r.Terms.Type)} by {r.ProposedBy}: {r.Reason}",
            RestructureRejected r => $"驳回 rejected by {r.RejectedBy}: {r.Reason}",
            LoanRestructured r => $"批准 approved {N(r.Type)} by {r.ApprovedBy}; {r.Installments.Count} new instalment(s){(r.Note is null ? "" : $"; {r.Note}")}",
            LoanSettled s => $"和解结清 settled on {D(s.SettledOn)}",
            PlanBreached => "违反还款计划 plan breached",
            _ => null,
        });
        Section(report, "十、投诉 Complaints", events, e => e switch
        {
            ComplaintLodged c => $"投诉 lodged ({c.Category}) by {c.LodgedBy}: {c.Description}",
            ComplaintResolved r => $"已处理 resolved by {r.ResolvedBy}: {r.Resolution}",
            CeaseContactRequested c => $"要求停止联系 cease contact requested: {c.Reason}",
            _ => null,
        });
        Section(report, "十一、催收升级 Escalation history", events, e => e switch
        {
            LoanEscalated x => $"{N(x.From)} → {N(x.To)} at DPD {x.Dpd}: {x.Reason}",
            LegalReferralMade r => $"移交法务 referred to legal at DPD {r.Dpd}, outstanding {M(r.TotalOutstanding)}",
            LoanAssigned a => $"分配 assigned to {a.AssigneeId} ({N(a.Kind)})",
            LoanCured => "恢复正常 cured",
            WriteOffProposed w => $"核销提议 write-off proposed by {w.ProposedBy} at DPD {w.Dpd}",
            LoanWrittenOff => "核销 written off",
            _ => null,
        });
        Section(report, "十二、诉讼 Litigation", events, e => e is ILitigationEvent l ? Litigation(l, M) : null);

        report.Paragraph($"本陈述取自截至 {D(input.AsOf)} 的事件（events.jsonl），其内容根为 {contentRoot}，各事件在签名检查点中的包含证明见 proofs.json。" +
                         $" This statement is drawn from the events up to {D(input.AsOf)} (events.jsonl), whose content root is {contentRoot}; " +
                         "each event's inclusion in the signed checkpoint is proved in proofs.json.", 8.5f);

        var date = new DateTimeOffset(input.AsOf.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        return report.Render($"Evidence statement, loan {loan.Id}, as of {D(input.AsOf)}", $"Content root {contentRoot}", date,
            footer: $"内容根 Content root {contentRoot}");
    }

    private static void Section(PdfReport report, string title, IEnumerable<object> events, Func<object, string?> describe)
    {
        var rows = events.OfType<ILoanEvent>().Select(e => (e, text: describe(e))).Where(x => x.text is not null)
            .Select(x => (IReadOnlyList<string>)[x.e.BusinessDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), x.text!]).ToList();
        report.Subheading(title);
        if (rows.Count == 0) report.Paragraph("无 None.");
        else report.Table(["日期 Date", "内容 What happened"], rows, [1, 6]);
    }

    private static string Litigation(ILitigationEvent e, Func<decimal, string> m)
    {
        var what = e switch
        {
            LitigationReviewOpened => "诉前审查 review opened",
            PreFilingMediationOpened x => $"诉前调解 mediation opened with {x.Mediator}",
            PreFilingMediationConcluded x => $"调解结束 mediation {JsonNamingPolicy.SnakeCaseLower.ConvertName(x.Outcome.ToString())}" +
                                             (x.AgreedAmount is { } a ? $", agreed {m(a)}" : ""),
            LegalDemandServed => "律师函送达 demand served",
            LawsuitFiled f => $"立案 filed with {f.Court}, case {f.CaseNumber}; claim {m(f.Claim.Total)} = principal {m(f.Claim.Principal)} + interest " +
                              $"{m(f.Claim.Interest)} + penalty {m(f.Claim.Penalty)} + fees {m(f.Claim.Fees)} + costs {m(f.Claim.Costs)}" +
                              (f.Claim.PenaltyReduced > 0 ? $" (penalty reduced by {m(f.Claim.PenaltyReduced)} to the cap)" : ""),
            LitigationCostIncurred k => $"诉讼费用 cost {JsonNamingPolicy.SnakeCaseLower.ConvertName(k.Kind.ToString())} {m(k.Amount)}",
            HearingHeld h => $"开庭 hearing at {h.Court}",
            JudgmentEntered j => $"判决 judgment by {j.Court}: {m(j.AwardedTotal)} = principal {m(j.Award.Principal)} + interest {m(j.Award.Interest)} + " +
                                 $"penalty {m(j.Award.Penalty)} + fees {m(j.Award.Fees)} + costs {m(j.Award.Costs)}",
            JudgmentAppealed a => $"上诉 appealed by {JsonNamingPolicy.SnakeCaseLower.ConvertName(a.Appellant.ToString())} to {a.Court}",
            EnforcementApplied x => $"申请执行 enforcement at {x.Court}, case {x.CaseNumber}",
            DishonestDebtorListed l => $"失信被执行人 listed by {l.Court}, decision {l.DecisionNumber}" + (l.ListedUntil is { } u ? " until " + u.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : ""),
            DishonestDebtorListingRemoved r => $"移出失信名单 listing removed, decision {r.DecisionNumber}",
            LitigationSettled s => "和解 settled" + (s.Amount is { } a ? $" for {m(a)}" : ""),
            LitigationWithdrawn => "撤诉 withdrawn",
            _ => e.GetType().Name,
        };
        return $"{what}; step date {e.StepDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}; by {e.RecordedBy}{(e.Notes is null ? "" : $"; {e.Notes}")}";
    }
}
