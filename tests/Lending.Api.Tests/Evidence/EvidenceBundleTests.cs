using System.Diagnostics;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Lending.Api.Auth;
using Lending.Api.Evidence;
using Lending.Api.Tests.Infrastructure;
using Lending.Domain.Litigation;
using Lending.Evidence;
using Microsoft.Extensions.DependencyInjection;

namespace Lending.Api.Tests.Evidence;

/// <summary>
/// A loan with a full history pulled as an evidence bundle, checked part by part, pulled again, tampered with, and checked
/// with the tools a court's expert would use (sha256sum, openssl) and with the offline verifier.
/// CASH-12M to 张三, disbursed 31 Jan 2026; instalment 1 due 28 Feb; the reminder goes out on 1 Mar (DPD 1).
/// </summary>
public class EvidenceBundleTests(AppFixture app) : ApiTest(app)
{
    private const string Day = "2026-03-02";

    private async Task<Guid> LoanWithFullHistory()
    {
        ClockAtShanghai(new TimeOnly(10, 0));
        await DefineCashProduct();
        var loanId = Guid.NewGuid();
        await As(Roles.Supervisor, s =>
        {
            s.Post.Json(new
            {
                loanId, productCode = "CASH-12M", principal = 12_000m, currency = "CNY", region = "East", branch = "Shanghai-01",
                borrower = new
                {
                    id = "B-ZS", name = "张三", phone = "+86-139-0000-0000", email = "zhangsan@example.com", nationalId = "310101199001011234",
                    timeZone = "Asia/Shanghai", address = "上海市浦东新区世纪大道 1 号",
                },
            }).ToUrl("/loans");
            s.StatusCodeShouldBe(201);
        });
        await AdvanceDays(30); // 2 Mar, DPD 2: the reminder was sent on 1 Mar
        var contactTime = new DateTimeOffset(2026, 3, 2, 10, 30, 0, TimeSpan.FromHours(8)).ToUniversalTime();
        if (App.Clock.GetUtcNow() < contactTime) App.Clock.SetUtcNow(contactTime);
        await Assign(loanId, "collector-1");
        await As(Roles.Collector, s =>
        {
            s.Post.Json(new
            {
                channel = "phone", direction = "outbound", party = "borrower", outcome = "promise_to_pay", occurredAt = $"{Day}T10:00:00+08:00",
                summary = "张三说失业了，承诺3月10日前还款500元 / lost his job, promised 500 by 10 Mar", promise = new { amount = 500, dueOn = "2026-03-10" },
            }).ToUrl($"/loans/{loanId}/contacts");
            s.StatusCodeShouldBe(201);
        }, subject: "collector-1");
        var requestId = (await ReadJson(await As(Roles.Collector, s =>
        {
            s.Post.Json(new { type = "extension", periods = 1, reason = "失业 job loss", documents = new[] { "termination letter" } })
                .ToUrl($"/loans/{loanId}/restructure-requests");
            s.StatusCodeShouldBe(201);
        }, subject: "collector-1"))).GetProperty("requestId").GetGuid();
        await As(Roles.Supervisor, s => s.Post.Json(new { reason = "hardship verified" })
            .ToUrl($"/loans/{loanId}/restructure-requests/{requestId}/approve"));

        foreach (var step in new object[]
                 {
                     new { action = "review_opened", date = Day, notes = "借款人失联 borrower unreachable" },
                     new { action = "cost_incurred", date = Day, amount = 300m, costKind = "court_fee" },
                     new { action = "filed", date = Day, court = "上海市浦东新区人民法院", caseNumber = "(2026)沪0115民初12345号" },
                     new { action = "hearing", date = Day },
                 })
            await As(Roles.Legal, s => { s.Post.Json(step).ToUrl($"/loans/{loanId}/litigation"); s.StatusCodeShouldBe(201); });
        var claim = (await ReadJson(await As(Roles.Legal, s => s.Get.Url($"/loans/{loanId}/litigation")))).GetProperty("claim");
        await As(Roles.Legal, s =>
        {
            s.Post.Json(new
            {
                action = "judgment", date = Day, award = new { principal = claim.GetProperty("principal").GetDecimal(),
                    interest = claim.GetProperty("interest").GetDecimal(), costs = 300m },
            }).ToUrl($"/loans/{loanId}/litigation");
            s.StatusCodeShouldBe(201);
        });
        await AdvanceDays(1);
        await Pay(loanId, 50m, "P-0303"); // booked 3 Mar: after the as-of date
        await WaitForProjections();
        return loanId;
    }

    private async Task<byte[]> Pull(Guid loanId, string query = $"asOf={Day}&purpose=%E8%B5%B7%E8%AF%89%20case%20(2026)%E6%B2%AA0115%E6%B0%91%E5%88%9D12345%E5%8F%B7")
    {
        var result = await As(Roles.Legal, s => { s.Get.Url($"/loans/{loanId}/evidence-bundle?{query}"); s.StatusCodeShouldBe(200); });
        Assert.Equal("application/zip", result.Context.Response.ContentType);
        return await ReadBytes(result);
    }

    private static async Task<byte[]> ReadBytes(IScenarioResult result)
    {
        using var m = new MemoryStream();
        await result.Context.Response.Body.CopyToAsync(m);
        return m.ToArray();
    }

    private static Dictionary<string, byte[]> Entries(byte[] zip)
    {
        using var archive = new ZipArchive(new MemoryStream(zip));
        return archive.Entries.ToDictionary(e => e.FullName, e =>
        {
            using var s = e.Open();
            using var m = new MemoryStream();
            s.CopyTo(m);
            return m.ToArray();
        });
    }

    private static byte[] Zip(IEnumerable<KeyValuePair<string, byte[]>> files) => EvidenceBundle.Zip(files.Select(f => (f.Key, f.Value)));

    /// <summary>What a careful forger does after changing files: recompute every hash the manifest lists.</summary>
    private static Dictionary<string, byte[]> Rehashed(Dictionary<string, byte[]> files)
    {
        var manifest = JsonNode.Parse(files[BundleLayout.Manifest])!;
        foreach (var f in manifest["files"]!.AsArray())
            f!["sha256"] = EvidenceBundle.Sha(files[f["path"]!.GetValue<string>()]);
        files[BundleLayout.Manifest] = Encoding.UTF8.GetBytes(manifest.ToJsonString());
        files[BundleLayout.ManifestSums] = Encoding.UTF8.GetBytes(string.Concat(files
            .Where(f => !f.Key.StartsWith(BundleLayout.MetaInf) && f.Key != BundleLayout.ManifestSums)
            .Select(f => $"{EvidenceBundle.Sha(f.Value)}  {f.Key}\n")));
        return files;
    }

    private X509Certificate2 Lender => Host.Services.GetRequiredService<EvidenceSigner>().Certificate;

    [Fact]
    public async Task A_bundle_proves_the_loans_whole_history_and_a_second_pull_has_identical_content()
    {
        var loanId = await LoanWithFullHistory();
        var zip = await Pull(loanId);
        var files = Entries(zip);

        // Every content file listed with its SHA-256, in sha256sum's format; only META-INF is outside.
        var sums = Encoding.UTF8.GetString(files[BundleLayout.ManifestSums]).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .ToDictionary(l => l[66..], l => l[..64]);
        Assert.Equal(files.Keys.Where(k => !k.StartsWith("META-INF/") && k != BundleLayout.ManifestSums).Order(), sums.Keys.Order());
        Assert.All(sums, s => Assert.Equal(s.Value, EvidenceBundle.Sha(files[s.Key])));
        foreach (var name in new[] { "README.txt", "statement.pdf", "claim.json", "ledger.csv", "contacts.csv", "events.jsonl", "proofs.json",
                     "checkpoint.json", "checkpoint.p7s", "checkpoint.tsr", "sealing-cert.pem", "tsa-cert.pem", "manifest.json", "META-INF/pull.json", "META-INF/pull.p7s", "META-INF/pull-cert.pem" })
            Assert.True(files.ContainsKey(name), name);

        // The events: the loan's stream from v1, each up to the as-of date with its data, the 3 Mar ones as leaf fields only.
        var stream = (await ReadJson(await As(Roles.Legal, s => s.Get.Url($"/loans/{loanId}/events")))).EnumerateArray().ToList();
        var lines = Encoding.UTF8.GetString(files[BundleLayout.Events]).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(stream.Count, lines.Count);
        Assert.Equal(stream.Select(e => e.GetProperty("type").GetString()), lines.Select(l => l.GetProperty("type").GetString()));
        Assert.Contains(lines, l => l.GetProperty("type").GetString() == "notice_sent");
        Assert.Contains(lines, l => l.GetProperty("type").GetString() == "promise_to_pay_made");
        Assert.Contains(lines, l => l.GetProperty("type").GetString() == "loan_restructured");
        Assert.Contains(lines, l => l.GetProperty("type").GetString() == "judgment_entered");
        Assert.Equal("张三", lines[0].GetProperty("data").GetProperty("borrower").GetProperty("name").GetString());
        var after = lines.Where(l => l.TryGetProperty("afterAsOf", out _)).ToList();
        Assert.NotEmpty(after);
        Assert.All(after, l => Assert.False(l.TryGetProperty("data", out _)));
        Assert.All(after, l => Assert.Equal("2026-03-03", l.GetProperty("businessDate").GetString()));
        for (var i = 1; i < lines.Count; i++)
            Assert.Equal(lines[i - 1].GetProperty("leaf").GetString(), lines[i].GetProperty("prevLeaf").GetString());

        // The statement's amounts are the loan's on the date; ledger.csv adds up to them; contacts.csv has the call.
        var loanOnDay = await GetLoan(loanId, Day);
        var manifest = JsonDocument.Parse(files[BundleLayout.Manifest]).RootElement;
        Assert.Equal(loanOnDay.GetProperty("totalOutstanding").GetDecimal(), manifest.GetProperty("statement").GetProperty("total").GetDecimal());
        Assert.Equal(loanOnDay.GetProperty("penaltyOutstanding").GetDecimal(), manifest.GetProperty("statement").GetProperty("penalty").GetDecimal());
        var claim = JsonDocument.Parse(files[BundleLayout.Claim]).RootElement;
        Assert.Equal(loanOnDay.GetProperty("totalOutstanding").GetDecimal(), claim.GetProperty("position").GetProperty("total").GetDecimal());
        Assert.Equal("(2026)沪0115民初12345号", claim.GetProperty("litigation").GetProperty("caseNumber").GetString());
        var ledger = Csv.Parse(Encoding.UTF8.GetString(files[BundleLayout.Ledger]));
        Assert.Equal(BundleLayout.LedgerColumns, ledger[0]);
        var instalments = ledger.Skip(1).Where(r => r[0] == "installment").ToList();
        Assert.Equal(24, instalments.Count); // the 12 the extension replaced, closed at what was paid, and its 12 new ones
        Assert.Equal(12, instalments.Count(r => r[4] == "replaced"));
        Assert.Equal(loanOnDay.GetProperty("principalOutstanding").GetDecimal(), instalments.Sum(r => decimal.Parse(r[7], System.Globalization.CultureInfo.InvariantCulture)));
        var contacts = Csv.Parse(Encoding.UTF8.GetString(files[BundleLayout.Contacts]));
        Assert.Equal(2, contacts.Count);
        Assert.Contains("承诺3月10日前还款500元", contacts[1][5]);
        Assert.Equal("collector-1", contacts[1][6]);

        // The statement a judge reads: Chinese text that extracts, every section, the content root and n/N on every page.
        var pdf = await PdfText.ExtractAsync(files[BundleLayout.Statement]);
        var root = manifest.GetProperty("contentRoot").GetString()!;
        foreach (var text in new[] { "张三", "310101199001011234", "证据包陈述", "Evidence Statement", "上海市浦东新区人民法院", "(2026)沪0115民初12345号",
                     "承诺", "Contact history", "Notices and their delivery", "Litigation", "判决", "失业", root })
            Assert.Contains(text, pdf);
        var pages = pdf.Split('\f', StringSplitOptions.RemoveEmptyEntries).Where(p => p.Trim().Length > 0).ToList();
        Assert.True(pages.Count >= 2);
        for (var n = 1; n <= pages.Count; n++)
        {
            Assert.Contains(root, pages[n - 1]);
            Assert.Contains($"{n}/{pages.Count}", pages[n - 1]);
        }

        // The verifier finds every check holding, with the lender's and the TSA's certificates.
        var report = BundleVerifier.Verify(zip, Lender, App.Tsa.Certificate);
        Assert.True(report.Holds, string.Join("\n", report.Failures));
        Assert.Contains(report.Passed, p => p.StartsWith("timestamp: CN=Test Time Stamping Authority"));
        Assert.Contains(report.Passed, p => p.StartsWith($"chain: versions 1 to {lines.Count}"));

        // A second pull: the same content, byte for byte; only META-INF differs.
        App.Clock.Advance(TimeSpan.FromMinutes(7));
        var second = Entries(await Pull(loanId, $"asOf={Day}&purpose=appeal"));
        foreach (var (name, bytes) in files.Where(f => !f.Key.StartsWith("META-INF/")))
            Assert.True(bytes.AsSpan().SequenceEqual(second[name]), $"{name} differs between pulls");
        Assert.False(files[BundleLayout.Pull].AsSpan().SequenceEqual(second[BundleLayout.Pull]));

        // Both pulls are recorded, with who, when, why and what; and they are themselves sealed.
        var pulls = (await ReadJson(await As(Roles.Legal, s => s.Get.Url($"/loans/{loanId}/evidence-bundle/pulls")))).GetProperty("pulls").EnumerateArray().ToList();
        Assert.Equal(2, pulls.Count);
        Assert.Equal(["起诉 case (2026)沪0115民初12345号", "appeal"], pulls.Select(p => p.GetProperty("purpose").GetString()));
        Assert.All(pulls, p => Assert.Equal((root, "legal-1", Day), (p.GetProperty("contentRoot").GetString(), p.GetProperty("pulledBy").GetString(),
            p.GetProperty("asOf").GetString())));
        await WaitForProjections();
        await using var session = App.Store.QuerySession();
        var sealedPulls = await session.QueryAsync<long>(
            $"select count(*) from {Host.Services.GetRequiredService<Lending.Projections.Evidence.EvidenceLogSchema>().Leaves} where stream_id = ?",
            EvidenceAccess.StreamFor(loanId));
        Assert.Equal(2, sealedPulls.Single());

        // What a third party runs, with no software of ours: sha256sum and openssl on the unpacked files.
        var dir = Directory.CreateTempSubdirectory("bundle-").FullName;
        try
        {
            ZipFile.ExtractToDirectory(new MemoryStream(zip), dir);
            await File.WriteAllTextAsync(Path.Combine(dir, "lender.pem"), Lender.ExportCertificatePem());
            await File.WriteAllTextAsync(Path.Combine(dir, "tsa.pem"), App.Tsa.Certificate.ExportCertificatePem());
            Assert.Equal(0, await Run(dir, "sha256sum", "-c", "manifest-sha256.txt"));
            Assert.Equal(0, await Run(dir, "openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", "checkpoint.p7s", "-content", "checkpoint.json",
                "-CAfile", "lender.pem", "-purpose", "any", "-out", "/dev/null"));
            Assert.Equal(0, await Run(dir, "openssl", "ts", "-verify", "-data", "checkpoint.json", "-in", "checkpoint.tsr", "-token_in", "-CAfile", "tsa.pem"));
            Assert.Equal(0, await Run(dir, "openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", "META-INF/pull.p7s", "-content", "META-INF/pull.json",
                "-CAfile", "lender.pem", "-purpose", "any", "-out", "/dev/null"));
            File.WriteAllText(Path.Combine(dir, "checkpoint.json"), File.ReadAllText(Path.Combine(dir, "checkpoint.json")).Replace("\"treeSize\":", "\"treeSize\":9"));
            Assert.NotEqual(0, await Run(dir, "sha256sum", "--quiet", "-c", "manifest-sha256.txt"));
            Assert.NotEqual(0, await Run(dir, "openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", "checkpoint.p7s", "-content", "checkpoint.json",
                "-CAfile", "lender.pem", "-purpose", "any", "-out", "/dev/null"));
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public async Task The_verifier_catches_a_changed_byte_in_any_file_a_dropped_or_reordered_event_and_a_swapped_checkpoint()
    {
        await DefineCashProduct();
        var loanId = await DisburseLoan();
        await AdvanceDays(35);
        await Pay(loanId, 200m, "P-1");
        await As(Roles.Legal, s => { s.Post.Json(new { action = "review_opened", date = "2026-03-07" }).ToUrl($"/loans/{loanId}/litigation"); s.StatusCodeShouldBe(201); });
        await WaitForProjections();
        var zip = await Pull(loanId, "purpose=review");
        Assert.True(BundleVerifier.Verify(zip, Lender).Holds);

        // One byte changed in each file.
        foreach (var name in Entries(zip).Keys)
        {
            var files = Entries(zip);
            var bytes = files[name];
            bytes[bytes.Length / 2] ^= 0x01;
            var report = BundleVerifier.Verify(Zip(files), Lender);
            Assert.False(report.Holds, $"a changed byte in {name} went unnoticed");
        }

        // An event dropped, hashes recomputed: the chain shows the gap.
        var dropped = Entries(zip);
        var lines = Encoding.UTF8.GetString(dropped[BundleLayout.Events]).Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
        lines.RemoveAt(lines.Count / 2);
        dropped[BundleLayout.Events] = Encoding.UTF8.GetBytes(string.Concat(lines.Select(l => l + "\n")));
        var droppedReport = BundleVerifier.Verify(Zip(Rehashed(dropped)), Lender);
        Assert.Contains(droppedReport.Failures, f => f.Contains("an event is missing"));

        // Two events swapped, hashes recomputed.
        var reordered = Entries(zip);
        lines = Encoding.UTF8.GetString(reordered[BundleLayout.Events]).Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
        (lines[1], lines[2]) = (lines[2], lines[1]);
        reordered[BundleLayout.Events] = Encoding.UTF8.GetBytes(string.Concat(lines.Select(l => l + "\n")));
        Assert.Contains(BundleVerifier.Verify(Zip(Rehashed(reordered)), Lender).Failures, f => f.Contains("out of order") || f.Contains("chain"));

        // The lender's seal over the pull stripped: without it nothing binds the statement, the claim or the as-of date.
        var stripped = Entries(zip);
        foreach (var name in new[] { BundleLayout.Pull, BundleLayout.PullSignature, BundleLayout.PullCertificate }) stripped.Remove(name);
        Assert.Contains(BundleVerifier.Verify(Zip(Rehashed(stripped)), Lender).Failures, f => f.StartsWith("META-INF/pull.json: missing"));

        // The as-of date moved, or the stream's last event dropped, with every hash and count recomputed: the seal names other content.
        var moved = Entries(zip);
        var movedManifest = JsonNode.Parse(moved[BundleLayout.Manifest])!;
        movedManifest["asOf"] = "2026-02-01";
        moved[BundleLayout.Manifest] = Encoding.UTF8.GetBytes(movedManifest.ToJsonString());
        Assert.Contains(BundleVerifier.Verify(Zip(Rehashed(moved)), Lender).Failures, f => f.StartsWith("pull: names other content"));
        var tail = Entries(zip);
        var tailLines = Encoding.UTF8.GetString(tail[BundleLayout.Events]).Split('\n', StringSplitOptions.RemoveEmptyEntries).SkipLast(1).ToList();
        tail[BundleLayout.Events] = Encoding.UTF8.GetBytes(string.Concat(tailLines.Select(l => l + "\n")));
        var tailManifest = JsonNode.Parse(tail[BundleLayout.Manifest])!;
        tailManifest["stream"]!["lastVersion"] = tailLines.Count;
        tailManifest["stream"]!["eventsUpToAsOf"] = tailLines.Count;
        tailManifest["contentRoot"] = Hex.Of(Merkle.Root(tailLines.Select(l => Hex.Parse(JsonNode.Parse(l)!["leaf"]!.GetValue<string>())).ToList()));
        tail[BundleLayout.Manifest] = Encoding.UTF8.GetBytes(tailManifest.ToJsonString());
        Assert.Contains(BundleVerifier.Verify(Zip(Rehashed(tail)), Lender).Failures, f => f.StartsWith("pull: names other content"));

        // A file the bundle does not have (another case, a path), and an event line with a repeated member.
        var extra = Entries(zip);
        extra["Statement.pdf"] = extra[BundleLayout.Statement];
        extra["META-INF/../statement.pdf"] = extra[BundleLayout.Statement];
        var extraReport = BundleVerifier.Verify(Zip(extra), Lender);
        Assert.Contains(extraReport.Failures, f => f.StartsWith("Statement.pdf: not a file of an evidence bundle"));
        Assert.Contains(extraReport.Failures, f => f.StartsWith("META-INF/../statement.pdf: not a file of an evidence bundle"));
        var repeated = Entries(zip);
        var repeatedLines = Encoding.UTF8.GetString(repeated[BundleLayout.Events]).Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
        repeatedLines[0] = repeatedLines[0].Replace("{\"businessDate\"", "{\"data\":{},\"businessDate\"");
        repeated[BundleLayout.Events] = Encoding.UTF8.GetBytes(string.Concat(repeatedLines.Select(l => l + "\n")));
        Assert.False(BundleVerifier.Verify(Zip(Rehashed(repeated)), Lender).Holds);

        // The checkpoint swapped for a later one (genuinely signed), hashes and the manifest recomputed: the proofs fail.
        await AdvanceDays(1);
        await WaitForProjections();
        var later = (await Host.Services.GetRequiredService<CheckpointSealer>().SealAsync(CancellationToken.None))!;
        var swapped = Entries(zip);
        swapped[BundleLayout.Checkpoint] = Encoding.UTF8.GetBytes(later.Statement);
        swapped[BundleLayout.CheckpointSignature] = later.Signature;
        swapped[BundleLayout.CheckpointTimestamp] = later.TimestampToken!;
        var manifest = JsonNode.Parse(swapped[BundleLayout.Manifest])!;
        manifest["checkpoint"]!["treeSize"] = later.TreeSize;
        manifest["checkpoint"]!["rootHash"] = Hex.Of(later.Root);
        swapped[BundleLayout.Manifest] = Encoding.UTF8.GetBytes(manifest.ToJsonString());
        var swappedReport = BundleVerifier.Verify(Zip(Rehashed(swapped)), Lender);
        Assert.Contains(swappedReport.Failures, f => f.Contains("inclusion proof fails"));

        // Signed by someone else: the lender's certificate does not verify it.
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var other = new CertificateRequest("CN=Lending evidence seal (development key), O=Development", key, HashAlgorithmName.SHA256)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        Assert.Contains(BundleVerifier.Verify(zip, other).Failures, f => f.Contains("CMS signature does not hold"));

        // The command-line verifier: exit 0 on the genuine bundle, non-zero naming the failure on a changed one.
        var dir = Directory.CreateTempSubdirectory("verify-").FullName;
        try
        {
            var good = Path.Combine(dir, "good.zip");
            var bad = Path.Combine(dir, "bad.zip");
            var cert = Path.Combine(dir, "lender.pem");
            await File.WriteAllBytesAsync(good, zip);
            await File.WriteAllBytesAsync(bad, Zip(Rehashed(dropped)));
            await File.WriteAllTextAsync(cert, Lender.ExportCertificatePem());
            var verifier = Path.Combine(AppContext.BaseDirectory, "verify-bundle.dll");
            Assert.Equal(0, await Run(dir, "dotnet", verifier, good, "--cert", cert));
            Assert.Equal(0, await Run(dir, "dotnet", verifier, good, $"--cert={cert}", "--quiet"));
            Assert.Equal(2, await Run(dir, "dotnet", verifier, good)); // no lender certificate: nothing is proved
            Assert.Equal(2, await Run(dir, "dotnet", verifier, good, "--cert", cert, "--certs", cert));
            var (code, output) = await RunWithOutput(dir, "dotnet", verifier, bad, "--cert", cert);
            Assert.Equal(1, code);
            Assert.Contains("FAIL", output);
            Assert.Contains("an event is missing", output);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public async Task Only_legal_pulls_with_a_purpose_and_nothing_is_recorded_for_a_refused_pull()
    {
        await DefineCashProduct();
        var loanId = await DisburseLoan();
        foreach (var role in new[] { Roles.Collector, Roles.Supervisor, Roles.RiskAnalyst, Roles.Admin })
            await As(role, s => { s.Get.Url($"/loans/{loanId}/evidence-bundle?purpose=x"); s.StatusCodeShouldBe(403); });
        await (await As(Roles.Legal, s => { s.Get.Url($"/loans/{loanId}/evidence-bundle"); s.StatusCodeShouldBe(422); }))
            .ShouldBeProblem(422, "evidence.purpose_required");
        await (await As(Roles.Legal, s => { s.Get.Url($"/loans/{loanId}/evidence-bundle?purpose=x&asOf=2027-01-01"); s.StatusCodeShouldBe(422); }))
            .ShouldBeProblem(422, "as_of.in_future");
        await (await As(Roles.Legal, s => { s.Get.Url($"/loans/{loanId}/evidence-bundle?purpose=x&asOf=2025-01-01"); s.StatusCodeShouldBe(422); }))
            .ShouldBeProblem(422, "evidence.before_loan");
        await As(Roles.Legal, s => { s.Get.Url($"/loans/{loanId}/evidence-bundle?purpose=x&asOf=yesterday"); s.StatusCodeShouldBe(400); });
        await (await As(Roles.Legal, s => { s.Get.Url($"/loans/{Guid.NewGuid()}/evidence-bundle?purpose=x"); s.StatusCodeShouldBe(404); }))
            .ShouldBeProblem(404, "loan.not_found");
        var pulls = await ReadJson(await As(Roles.Supervisor, s => s.Get.Url($"/loans/{loanId}/evidence-bundle/pulls")));
        Assert.Empty(pulls.GetProperty("pulls").EnumerateArray());
        await As(Roles.Collector, s => { s.Get.Url($"/loans/{loanId}/evidence-bundle/pulls"); s.StatusCodeShouldBe(403); });
    }

    [Fact]
    public async Task A_pull_before_the_log_has_sealed_the_loans_events_is_a_503_and_records_nothing()
    {
        await DefineCashProduct();
        var coordinator = Host.Services.GetRequiredService<Marten.Events.Daemon.Coordination.IProjectionCoordinator>();
        var evidence = Host.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Lending.Api.Setup.LendingOptions>>().Value.Evidence;
        var wait = evidence.SealWaitSeconds;
        await coordinator.PauseAsync(); // the daemon, and so the sealed log, stands still
        try
        {
            evidence.SealWaitSeconds = 1;
            var loanId = await DisburseLoan();
            await (await As(Roles.Legal, s => { s.Get.Url($"/loans/{loanId}/evidence-bundle?purpose=x"); s.StatusCodeShouldBe(503); }))
                .ShouldBeProblem(503, "evidence.not_sealed_yet");
            Assert.Empty((await ReadJson(await As(Roles.Legal, s => s.Get.Url($"/loans/{loanId}/evidence-bundle/pulls"))))
                .GetProperty("pulls").EnumerateArray());
        }
        finally
        {
            evidence.SealWaitSeconds = wait;
            await coordinator.DaemonForMainDatabase().StartAllAsync();
        }
    }

    private static async Task<int> Run(string dir, string file, params string[] args) => (await RunWithOutput(dir, file, args)).Code;

    private static async Task<(int Code, string Output)> RunWithOutput(string dir, string file, params string[] args)
    {
        var info = new ProcessStartInfo(file, args) { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(info)!;
        var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, output);
    }
}
