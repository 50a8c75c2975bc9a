using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CsvHelper;
using Lending.Domain.Collections;
using Lending.Domain.Litigation;
using Lending.Domain.Loans;
using Lending.Domain.Loans.Delinquency;
using Lending.Evidence;

namespace Lending.Api.Evidence;

/// <summary>Everything a bundle is made from: the loan as of the date, its events as stored and sealed, and the checkpoint.</summary>
public sealed record EvidenceInput(
    Loan Loan,
    DateOnly AsOf,
    IReadOnlyList<object> Events,
    IReadOnlyList<StoredEvent> Stored,
    IReadOnlyList<SealedLeaf> Leaves,
    Checkpoint Checkpoint,
    IReadOnlyDictionary<long, List<byte[]>> Proofs);

/// <summary>The content of a bundle: its files in order, the manifest's hash and the content root.</summary>
public sealed record EvidenceContent(IReadOnlyList<(string Path, byte[] Bytes)> Files, string ContentRoot, string ManifestSha256);

/// <summary>
/// Builds an evidence bundle's content (docs/evidence.md): deterministic, so the same loan and as-of date give the same
/// bytes. The events are the loan's stream from version 1 up to its last event inside the checkpoint: those booked up to
/// the as-of date with their data, later ones as their sealed leaf fields only, so the chain shows nothing is missing.
/// </summary>
public static class EvidenceBundle
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public static EvidenceContent Build(EvidenceInput input, Documents.DocumentFonts fonts, string? tsaCertificatePem)
    {
        var asOf = input.AsOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var storedBySeq = input.Stored.ToDictionary(e => e.Seq);
        var lines = new StringBuilder();
        var leaves = new List<byte[]>();
        foreach (var leaf in input.Leaves)
        {
            var fields = JsonNode.Parse(leaf.LeafJson)!.AsObject();
            fields["leaf"] = leaf.Leaf;
            fields["position"] = leaf.Position;
            var businessDate = fields["businessDate"]?.GetValue<string>();
            if (businessDate is not null && string.CompareOrdinal(businessDate, asOf) > 0) fields["afterAsOf"] = true;
            else fields["data"] = JsonNode.Parse(storedBySeq[leaf.Seq].Data);
            lines.Append(CanonicalJson.Canonicalize(fields.ToJsonString())).Append('\n');
            leaves.Add(Hex.Parse(leaf.Leaf));
        }
        var contentRoot = Hex.Of(Merkle.Root(leaves));

        var position = LoanPosition.Of(input.Loan, input.AsOf);
        var files = new List<(string, byte[])>
        {
            (BundleLayout.Readme, Encoding.UTF8.GetBytes(Readme(input, contentRoot))),
            (BundleLayout.Statement, StatementPdf.Render(input, position, contentRoot, fonts)),
            (BundleLayout.Claim, Utf8(Canonical(ClaimDocument(input, position)))),
            (BundleLayout.Ledger, Utf8(Ledger(input.Loan, input.AsOf))),
            (BundleLayout.Contacts, Utf8(Contacts(input.Events))),
            (BundleLayout.Events, Utf8(lines.ToString())),
            (BundleLayout.Proofs, Utf8(Canonical(new
            {
                treeSize = input.Checkpoint.TreeSize, rootHash = Hex.Of(input.Checkpoint.Root),
                proofs = input.Leaves.Select(l => new { position = l.Position, version = l.Version, leaf = l.Leaf,
                    path = input.Proofs[l.Position].Select(p => Hex.Of(p)) }),
            }))),
            (BundleLayout.Checkpoint, Utf8(input.Checkpoint.Statement)),
            (BundleLayout.CheckpointSignature, input.Checkpoint.Signature),
        };
        if (input.Checkpoint.TimestampToken is { } token) files.Add((BundleLayout.CheckpointTimestamp, token));
        files.Add((BundleLayout.SealingCertificate, Utf8(input.Checkpoint.Certificate)));
        if (tsaCertificatePem is not null) files.Add((BundleLayout.TsaCertificate, Utf8(tsaCertificatePem)));

        var inside = input.Leaves.Count(l => !(JsonNode.Parse(l.LeafJson)!["businessDate"]?.GetValue<string>() is { } d && string.CompareOrdinal(d, asOf) > 0));
        var manifest = Utf8(Canonical(new
        {
            format = BundleLayout.Format,
            loanId = input.Loan.Id,
            asOf,
            stream = new { id = input.Loan.Id, firstVersion = 1, lastVersion = input.Leaves.Count, eventsUpToAsOf = inside, eventsAfterAsOf = input.Leaves.Count - inside },
            contentRoot,
            checkpoint = new
            {
                treeSize = input.Checkpoint.TreeSize, rootHash = Hex.Of(input.Checkpoint.Root),
                sealedAt = JsonNode.Parse(input.Checkpoint.Statement)!["sealedAt"]!.GetValue<string>(),
                timestamped = input.Checkpoint.TimestampToken is not null,
            },
            statement = new
            {
                currency = input.Loan.Currency, principal = position.PrincipalOutstanding, interest = position.InterestOutstanding,
                penalty = position.PenaltyOutstanding, fees = position.FeesOutstanding, total = position.TotalOutstanding,
            },
            files = files.Select(f => new { path = f.Item1, sha256 = Sha(f.Item2), bytes = f.Item2.Length }),
        }));
        files.Add((BundleLayout.Manifest, manifest));
        files.Add((BundleLayout.ManifestSums, Utf8(string.Concat(files.Select(f => $"{Sha(f.Item2)}  {f.Item1}\n")))));
        return new EvidenceContent(files, contentRoot, Sha(manifest));
    }

    /// <summary>The zip: content files in order, then the pull's files; fixed entry times, so content entries never differ.</summary>
    public static byte[] Zip(IEnumerable<(string Path, byte[] Bytes)> files)
    {
        using var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
            foreach (var (path, bytes) in files)
            {
                var entry = zip.CreateEntry(path, CompressionLevel.Optimal);
                entry.LastWriteTime = BundleLayout.EntryTime;
                using var s = entry.Open();
                s.Write(bytes);
            }
        return stream.ToArray();
    }

    public static string Sha(byte[] bytes) => Hex.Of(SHA256.HashData(bytes));
    private static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);
    private static string Canonical(object value) => CanonicalJson.Canonicalize(JsonSerializer.Serialize(value, Json));

    private static object ClaimDocument(EvidenceInput input, LoanPosition p)
    {
        var loan = input.Loan;
        var costs = loan.Litigation?.Costs.Where(c => c.IncurredOn <= input.AsOf).Sum(c => c.Amount) ?? 0m;
        return new
        {
            loanId = loan.Id,
            asOf = input.AsOf,
            currency = loan.Currency,
            position = new
            {
                principal = p.PrincipalOutstanding, interest = p.InterestOutstanding, penalty = p.PenaltyOutstanding, fees = p.FeesOutstanding,
                total = p.TotalOutstanding, dpd = p.Dpd, arrears = p.Arrears, nextDueDate = p.NextDueDate,
            },
            calculation = new
            {
                contractRate = loan.Terms.AnnualRate, penaltyRate = loan.Terms.PenaltyRate, rateCap = loan.Terms.RateCap,
                yearBasis = loan.Terms.YearBasis, feesWithinCap = loan.Terms.FeesWithinCap,
                rule = "Interest is owed for each period once it has begun; penalty accrues each day past grace on overdue principal at the " +
                       "penalty rate, never above the cap less the contract rate; the claimable penalty is within cap × principal-days / year " +
                       "basis less interest earned, penalty paid and (where counted) fees.",
                claimable = LitigationDecisions.Claim(loan, input.AsOf, costs),
            },
            litigation = loan.Litigation is { } c
                ? new { caseId = c.CaseId, step = c.Step, court = c.Court, caseNumber = c.CaseNumber, filedOn = c.FiledOn, claimAsFiled = c.Claim,
                    costs = c.Costs, award = c.Award, judgmentOn = c.JudgmentOn, listing = c.Listing }
                : null,
        };
    }

    /// <summary>RFC 4180 rows by CsvHelper, UTF-8 without a byte-order mark.</summary>
    private static string WriteCsv(IEnumerable<string[]> rows)
    {
        using var buffer = new MemoryStream();
        using (var csv = CsvWriter.Create(buffer, new CsvWriterOptions { NewLine = "\n" }, leaveOpen: true))
            foreach (var row in rows) csv.WriteRecord(row);
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static string Ledger(Loan loan, DateOnly asOf) => WriteCsv(LedgerRows(loan, asOf));

    private static IEnumerable<string[]> LedgerRows(Loan loan, DateOnly asOf)
    {
        yield return BundleLayout.LedgerColumns;
        static string A(decimal v) => v.ToString(CultureInfo.InvariantCulture);
        foreach (var i in loan.Installments)
        {
            var owed = i.Replaced ? i.InterestDue : i.InterestOwedOn(asOf);
            yield return
                     [
                         "installment", i.Number.ToString(CultureInfo.InvariantCulture), i.DueDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), "",
                         JsonNamingPolicy.SnakeCaseLower.ConvertName(LoanPosition.StatusOf(i, asOf).ToString()),
                         A(i.Principal), A(i.PrincipalPaid), A(i.PrincipalDue),
                         A(i.Interest), A(i.InterestWaived), A(i.InterestPaid), A(i.InterestDue - owed), A(owed),
                         A(i.Penalty), A(i.PenaltyPaid), A(i.PenaltyDue), A(i.Fees), A(i.FeesPaid), A(i.FeesDue), "",
                     ];
        }
        foreach (var p in loan.Payments.OrderBy(p => p.PaidOn).ThenBy(p => p.Reference, StringComparer.Ordinal))
        {
            var (lines, overpayment) = (p.Lines, p.Overpayment);
            yield return
                     [
                         "payment", "", p.PaidOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), p.Reference, "received",
                         "", A(lines.Sum(l => l.Principal)), "", "", A(lines.Sum(l => l.InterestWaived)), A(lines.Sum(l => l.Interest)), "", "",
                         "", A(lines.Sum(l => l.Penalty)), "", "", A(lines.Sum(l => l.Fees)), "", A(overpayment),
                     ];
        }
    }

    private static string Contacts(IEnumerable<object> events) => WriteCsv(ContactRows(events));

    private static IEnumerable<string[]> ContactRows(IEnumerable<object> events)
    {
        yield return ["occurred_at", "channel", "direction", "party", "outcome", "summary", "recorded_by", "recorded_at", "business_date", "contact_id"];
        static string N<T>(T v) where T : Enum => JsonNamingPolicy.SnakeCaseLower.ConvertName(v.ToString());
        foreach (var c in events.OfType<ContactRecorded>())
        {
            yield return
                     [
                         c.OccurredAt.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture), N(c.Channel), N(c.Direction), N(c.Party),
                         N(c.Outcome), c.Summary, c.Agent, c.RecordedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                         c.BusinessDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), c.ContactId.ToString(),
                     ];
        }
    }

    private static string Readme(EvidenceInput input, string contentRoot) => $"""
        证据包 / EVIDENCE BUNDLE
        贷款 Loan {input.Loan.Id} · 截至 as of {input.AsOf:yyyy-MM-dd} · 内容根 content root {contentRoot}

        【中文】如何自行核验（无需本公司软件）
        1. 文件完整性：在解压目录运行  sha256sum -c manifest-sha256.txt  ，每一行应显示 OK。
        2. 检查点签名（出借人）：
           openssl cms -verify -binary -inform DER -in checkpoint.p7s -content checkpoint.json -CAfile 出借人公布的证书.pem -purpose any -out /dev/null
           （sealing-cert.pem 为包内附带的证书；请将其 SHA-256 指纹与出借人公布的指纹比对：openssl x509 -in sealing-cert.pem -noout -fingerprint -sha256）
        3. 第三方时间戳（如有 checkpoint.tsr）：
           openssl ts -verify -data checkpoint.json -in checkpoint.tsr -token_in -CAfile 时间戳机构公布的证书.pem
           （包内 tsa-cert.pem 仅供参考，须以时间戳机构公布的证书核验）
        3a. 本次调取的签章（覆盖 manifest.json，从而覆盖所有文件、截至日与事件范围）：
           openssl cms -verify -binary -inform DER -in META-INF/pull.p7s -content META-INF/pull.json -CAfile 出借人公布的证书.pem -purpose any -out /dev/null
           并核对 pull.json 中的 manifestSha256 等于 sha256sum manifest.json 的结果。
        4. 事件与证明：events.jsonl 每行一个事件；叶哈希 = SHA-256(0x00 ‖ 规范化 JSON 的叶字段)，data 的 SHA-256 为规范化 JSON
           （键按 UTF-16 排序、无空白、数字原样）；每个事件的 prevLeaf 等于上一版本事件的叶哈希（从第 1 版起无缺失）；
           proofs.json 给出每个叶在签名检查点（checkpoint.json）中的 RFC 6962 包含证明。截至日后的事件只列出叶字段（afterAsOf）。
        5. 金额：ledger.csv 各期 “应收 − 已还 − 减免 − 尚未到期利息 = 未还”，合计即 statement.pdf 与 claim.json 的欠款金额。
        也可运行本公司提供的开源校验程序：verify-bundle 本文件.zip --cert 出借人证书.pem

        [English] How to check this bundle yourself, without our software
        1. Files: in the unpacked folder run  sha256sum -c manifest-sha256.txt ; every line must say OK.
        2. The lender's signature over the checkpoint:
           openssl cms -verify -binary -inform DER -in checkpoint.p7s -content checkpoint.json -CAfile lender-published-cert.pem -purpose any -out /dev/null
           (sealing-cert.pem is the certificate carried in the bundle; compare its SHA-256 fingerprint with the one the lender
           publishes: openssl x509 -in sealing-cert.pem -noout -fingerprint -sha256)
        3. The third-party timestamp (when checkpoint.tsr is present), against the certificate the TSA publishes (tsa-cert.pem
           in the bundle is for reference only):
           openssl ts -verify -data checkpoint.json -in checkpoint.tsr -token_in -CAfile tsa-published-cert.pem
        3a. The lender's seal over this pull, which names manifest.json's SHA-256 and so covers every file, the as-of date and
           the events' extent:
           openssl cms -verify -binary -inform DER -in META-INF/pull.p7s -content META-INF/pull.json -CAfile lender-published-cert.pem -purpose any -out /dev/null
           and check that pull.json's manifestSha256 is what sha256sum manifest.json prints.
        4. Events and proofs: events.jsonl has one event per line. leaf = SHA-256(0x00 ‖ canonical JSON of the leaf fields);
           dataSha256 = SHA-256 of the data's canonical JSON (members sorted by UTF-16 code units, no whitespace, numbers as
           written). Each event's prevLeaf is the previous version's leaf, from version 1 with no gap. proofs.json holds each
           leaf's RFC 6962 inclusion proof in the signed checkpoint (checkpoint.json). Events booked after the as-of date are
           listed by their leaf fields only (afterAsOf).
        5. Amounts: in ledger.csv each instalment's charged − paid − waived − interest not yet owed = outstanding; their sums are
           the amounts owed in statement.pdf and claim.json.
        Or run the open verifier: verify-bundle THIS.zip --cert lender-cert.pem
        META-INF/ holds who pulled this copy, when and why, sealed by the lender (pull-cert.pem: the certificate of that seal);
        it is the only part that differs between pulls.

        """.Replace("\r", "");
}
