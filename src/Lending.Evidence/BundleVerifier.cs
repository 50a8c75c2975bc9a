using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;

namespace Lending.Evidence;

/// <summary>What checking a bundle found: each check that held (and notes on what was not checked), and each failure named.</summary>
public sealed record VerificationReport(IReadOnlyList<string> Passed, IReadOnlyList<string> Failures)
{
    public bool Holds => Failures.Count == 0;
}

/// <summary>
/// Checks an evidence bundle offline, with nothing of the service. Two signatures carry it: the checkpoint's (the sealed
/// log at the time, with the TSA's token) proves each event by its inclusion proof; the pull's seal over
/// <c>META-INF/pull.json</c>, which names the manifest's hash, binds every other file (statement, claim, ledger, the
/// as-of date, the stream's extent) to the lender. Everything is cross-checked: the exact set of files, both hash lists,
/// each event's data hash and leaf, the stream's chain from version 1, the as-of cut, the content root, every proof, the
/// statement's totals recomputed from <c>ledger.csv</c>, and the claim's.
/// </summary>
public static class BundleVerifier
{
    private static readonly JsonDocumentOptions Strict = new() { AllowDuplicateProperties = false, MaxDepth = 256 };

    public static VerificationReport Verify(byte[] zip, X509Certificate2? lenderCertificate = null, X509Certificate2? tsaCertificate = null) =>
        Verify(zip, lenderCertificate is null ? [] : [lenderCertificate], tsaCertificate);

    /// <param name="lenderCertificates">The lender's published certificates (more than one across a key rotation); when none
    /// is given, the certificates inside the bundle are used and a note says so.</param>
    public static VerificationReport Verify(byte[] zip, IReadOnlyList<X509Certificate2> lenderCertificates, X509Certificate2? tsaCertificate)
    {
        var passed = new List<string>();
        var failures = new List<string>();
        void Check(bool holds, string what, string? failure = null)
        {
            if (holds) passed.Add(what);
            else failures.Add(failure ?? what);
        }

        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        try
        {
            using var archive = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read);
            foreach (var e in archive.Entries)
            {
                if (!BundleLayout.Names.Contains(e.FullName)) { failures.Add($"{e.FullName}: not a file of an evidence bundle"); continue; }
                if (files.ContainsKey(e.FullName)) { failures.Add($"{e.FullName}: twice in the zip"); continue; }
                using var s = e.Open();
                using var m = new MemoryStream();
                s.CopyTo(m);
                files[e.FullName] = m.ToArray();
            }
        }
        catch (Exception e) when (e is InvalidDataException or IOException or ArgumentException or NotSupportedException)
        {
            return new([], [$"not a readable zip: {e.Message}"]);
        }
        foreach (var required in BundleLayout.Required.Where(r => !files.ContainsKey(r))) failures.Add($"{required}: missing");
        if (failures.Count > 0) return new(passed, failures);

        try
        {
            VerifyContent(files, lenderCertificates, tsaCertificate, Check, failures, passed);
        }
        catch (Exception e)
        {
            failures.Add($"malformed bundle: {e.GetType().Name}: {e.Message}");
        }
        return new(passed, failures);
    }

    private static void VerifyContent(Dictionary<string, byte[]> files, IReadOnlyList<X509Certificate2> lenders, X509Certificate2? tsaCert,
        Action<bool, string, string?> check, List<string> failures, List<string> passed)
    {
        JsonElement Json(string name) => JsonDocument.Parse(files[name], Strict).RootElement;
        var content = files.Keys.Where(k => !k.StartsWith(BundleLayout.MetaInf, StringComparison.Ordinal)).ToHashSet();

        // 1. File hashes: manifest-sha256.txt (sha256sum -c format) lists every content file but itself; manifest.json every
        //    content file but itself and the sums; the pull's seal covers manifest.json.
        var sums = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in Encoding.UTF8.GetString(files[BundleLayout.ManifestSums]).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split("  ", 2);
            if (parts.Length != 2 || !sums.TryAdd(parts[1], parts[0])) failures.Add($"{BundleLayout.ManifestSums}: malformed or repeated line '{line}'");
        }
        check(sums.Keys.ToHashSet().SetEquals(content.Where(c => c != BundleLayout.ManifestSums)),
            $"{BundleLayout.ManifestSums}: lists exactly the content files", $"{BundleLayout.ManifestSums}: does not list exactly the content files");
        foreach (var (name, listed) in sums.Where(s => files.ContainsKey(s.Key)))
        {
            var actual = Sha(files[name]);
            check(listed == actual, $"{name}: SHA-256 matches", $"{name}: SHA-256 {actual} is not the listed {listed} (altered)");
        }

        var manifest = Json(BundleLayout.Manifest);
        var listedInManifest = new HashSet<string>(StringComparer.Ordinal);
        foreach (var f in manifest.GetProperty("files").EnumerateArray())
        {
            var name = f.GetProperty("path").GetString()!;
            listedInManifest.Add(name);
            if (!files.TryGetValue(name, out var bytes)) { failures.Add($"{name}: in {BundleLayout.Manifest} but missing"); continue; }
            check(f.GetProperty("sha256").GetString() == Sha(bytes), $"{name}: matches {BundleLayout.Manifest}",
                $"{name}: SHA-256 differs from {BundleLayout.Manifest}");
        }
        check(listedInManifest.SetEquals(content.Where(c => c != BundleLayout.Manifest && c != BundleLayout.ManifestSums)),
            $"{BundleLayout.Manifest}: lists exactly the content files", $"{BundleLayout.Manifest}: does not list exactly the content files");

        var loanId = manifest.GetProperty("loanId").GetGuid();
        var asOf = manifest.GetProperty("asOf").GetString()!;
        check(manifest.GetProperty("format").GetString() == BundleLayout.Format, "manifest: format", "manifest: unknown format");
        check(manifest.GetProperty("stream").GetProperty("id").GetGuid() == loanId, "manifest: the stream is the loan's", "manifest: stream is not the loan's");

        // 2. Events: canonical lines, data hash, leaf, chain from version 1 with no gap, the as-of cut.
        var lines = Encoding.UTF8.GetString(files[BundleLayout.Events]).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var leaves = new List<byte[]>();
        var positions = new List<long>();
        string? previous = null;
        var expectedVersion = 1L;
        var (chainHolds, upTo, after) = (true, 0, 0);
        foreach (var line in lines)
        {
            var e = JsonDocument.Parse(line, Strict).RootElement;
            var version = e.GetProperty("version").GetInt64();
            var name = $"event v{version}";
            if (CanonicalJson.Canonicalize(line) != line) failures.Add($"{name}: line is not in canonical form");
            if (e.EnumerateObject().Any(p => !BundleLayout.EventMembers.Contains(p.Name))) failures.Add($"{name}: has members an event line has not");
            var leaf = new EventLeaf(e.GetProperty("seq").GetInt64(), e.GetProperty("streamId").GetGuid(), version,
                e.GetProperty("type").GetString()!, NullableString(e.GetProperty("businessDate")), e.GetProperty("timestamp").GetString()!,
                e.GetProperty("dataSha256").GetString()!, NullableString(e.GetProperty("prevLeaf")));
            name = $"event v{version} ({leaf.Type})";
            if (leaf.StreamId != loanId) failures.Add($"{name}: belongs to stream {leaf.StreamId}, not loan {loanId}");
            if (version != expectedVersion) { failures.Add($"{name}: expected version {expectedVersion} (an event is missing or out of order)"); chainHolds = false; }
            if (leaf.PrevLeaf != previous) { failures.Add($"{name}: does not chain to the previous event's leaf"); chainHolds = false; }
            var hash = Hex.Of(leaf.Hash());
            check(hash == e.GetProperty("leaf").GetString(), $"{name}: leaf recomputed", $"{name}: leaf does not match its fields (altered)");
            var afterAsOf = e.TryGetProperty("afterAsOf", out var a) && a.GetBoolean();
            var bookedAfter = string.CompareOrdinal(leaf.BusinessDate ?? "", asOf) > 0;
            if (afterAsOf != bookedAfter)
                failures.Add($"{name}: marked {(afterAsOf ? "after" : "up to")} the as-of date {asOf} but booked for {leaf.BusinessDate}");
            if (e.TryGetProperty("data", out var data))
            {
                if (afterAsOf) failures.Add($"{name}: after the as-of date but carries data");
                var dataHash = Sha(Encoding.UTF8.GetBytes(CanonicalJson.Canonicalize(data.GetRawText())));
                check(dataHash == leaf.DataSha256, $"{name}: data hash recomputed", $"{name}: data does not match its hash (altered)");
                check(EventLeaf.BusinessDateOf(data.GetRawText()) == leaf.BusinessDate, $"{name}: business date is the data's",
                    $"{name}: business date differs from the data's");
            }
            else if (!afterAsOf) failures.Add($"{name}: has no data but is not after the as-of date");
            if (afterAsOf) after++; else upTo++;
            leaves.Add(Hex.Parse(hash));
            positions.Add(e.GetProperty("position").GetInt64());
            previous = hash;
            expectedVersion = version + 1;
        }
        check(chainHolds && lines.Length > 0, $"chain: versions 1 to {expectedVersion - 1}, each linked to the one before", "chain: broken (see above)");
        var stream = manifest.GetProperty("stream");
        check(stream.GetProperty("lastVersion").GetInt64() == expectedVersion - 1
              && stream.GetProperty("eventsUpToAsOf").GetInt32() == upTo && stream.GetProperty("eventsAfterAsOf").GetInt32() == after,
            $"chain: ends at the manifest's last version {expectedVersion - 1} ({upTo} events up to the as-of date, {after} after)",
            "chain: the events are not the ones the manifest counts (events dropped or added)");
        var contentRoot = Hex.Of(Merkle.Root(leaves));
        check(contentRoot == manifest.GetProperty("contentRoot").GetString(), "content root recomputed from the events",
            $"content root {contentRoot} is not the manifest's");

        // 3. Checkpoint and proofs.
        var checkpointText = files[BundleLayout.Checkpoint];
        var checkpoint = Json(BundleLayout.Checkpoint);
        var treeSize = checkpoint.GetProperty("treeSize").GetInt64();
        var root = Hex.Parse(checkpoint.GetProperty("rootHash").GetString()!);
        var sealedAt = DateTimeOffset.Parse(checkpoint.GetProperty("sealedAt").GetString()!, CultureInfo.InvariantCulture);
        var mc = manifest.GetProperty("checkpoint");
        check(checkpoint.GetProperty("log").GetString() == "lending-evidence-log"
              && mc.GetProperty("treeSize").GetInt64() == treeSize && mc.GetProperty("rootHash").GetString() == Hex.Of(root)
              && mc.GetProperty("sealedAt").GetString() == checkpoint.GetProperty("sealedAt").GetString(),
            "checkpoint: the one the manifest names", "checkpoint: not the one the manifest names (swapped)");
        var proofs = Json(BundleLayout.Proofs);
        check(proofs.GetProperty("treeSize").GetInt64() == treeSize && proofs.GetProperty("rootHash").GetString() == Hex.Of(root),
            "proofs: against the checkpoint", "proofs: against another checkpoint");
        var byPosition = new Dictionary<long, JsonElement>();
        foreach (var p in proofs.GetProperty("proofs").EnumerateArray())
            if (!byPosition.TryAdd(p.GetProperty("position").GetInt64(), p)) failures.Add($"proofs: position {p.GetProperty("position").GetInt64()} twice");
        for (var i = 0; i < leaves.Count; i++)
        {
            var name = $"event v{i + 1}";
            if (i > 0 && positions[i] <= positions[i - 1]) failures.Add($"{name}: log position not after the previous event's (reordered)");
            if (!byPosition.TryGetValue(positions[i], out var proof)) { failures.Add($"{name}: no inclusion proof"); continue; }
            if (proof.GetProperty("version").GetInt64() != i + 1 || proof.GetProperty("leaf").GetString() != Hex.Of(leaves[i]))
                failures.Add($"{name}: the proof at its position is another event's");
            var path = proof.GetProperty("path").EnumerateArray().Select(p => Hex.Parse(p.GetString()!)).ToList();
            check(Merkle.VerifyInclusion(positions[i], treeSize, leaves[i], path, root),
                $"{name}: included at position {positions[i]} of the signed checkpoint ({treeSize} events)",
                $"{name}: inclusion proof fails against the checkpoint");
        }

        // 4. The lender's signatures: over the checkpoint, and the pull's seal over pull.json (which names the manifest).
        var bundled = X509Certificate2.CreateFromPem(Encoding.ASCII.GetString(files[BundleLayout.SealingCertificate]));
        IReadOnlyList<X509Certificate2> trusted = lenders.Count > 0 ? lenders
            : files.TryGetValue(BundleLayout.PullCertificate, out var pullPem)
                ? [bundled, X509Certificate2.CreateFromPem(Encoding.ASCII.GetString(pullPem))] : [bundled];
        if (lenders.Count == 0)
            passed.Add("note: the signatures were checked against the certificates inside the bundle; compare their fingerprints with " +
                       "the lender's published ones, or give those certificates (--cert)");
        var checkpointSigner = trusted.FirstOrDefault(c => SignatureHolds(checkpointText, files[BundleLayout.CheckpointSignature], c));
        check(checkpointSigner is not null,
            $"checkpoint: CMS signature holds for {checkpointSigner?.Subject} (SHA-256 fingerprint {checkpointSigner?.GetCertHashString(HashAlgorithmName.SHA256)})",
            "checkpoint: CMS signature does not hold for the lender's certificate");

        var pullBytes = files[BundleLayout.Pull];
        var pull = Json(BundleLayout.Pull);
        // The seal's certificate travels with the pull (a later pull may be sealed with a newer key): it must be the lender's.
        var pullSigner = files.TryGetValue(BundleLayout.PullCertificate, out var signerPem)
            ? X509Certificate2.CreateFromPem(Encoding.ASCII.GetString(signerPem)) : null;
        check(pullSigner is null
                ? trusted.Any(c => SignatureHolds(pullBytes, files[BundleLayout.PullSignature], c))
                : trusted.Any(c => c.RawData.AsSpan().SequenceEqual(pullSigner.RawData)) && SignatureHolds(pullBytes, files[BundleLayout.PullSignature], pullSigner),
            "pull: sealed by the lender", "pull: the seal does not hold for the lender's certificate");
        check(pull.GetProperty("contentRoot").GetString() == contentRoot && pull.GetProperty("manifestSha256").GetString() == Sha(files[BundleLayout.Manifest])
              && pull.GetProperty("loanId").GetGuid() == loanId && pull.GetProperty("asOf").GetString() == asOf
              && pull.GetProperty("checkpointTreeSize").GetInt64() == treeSize,
            $"pull: names this content, loan, as-of date and checkpoint (pulled by {pull.GetProperty("pulledBy").GetString()} at {pull.GetProperty("pulledAt").GetString()})",
            "pull: names other content, another loan, as-of date or checkpoint");

        // 5. The timestamp authority's token over the checkpoint: required when the manifest says it was stamped.
        var stamped = mc.GetProperty("timestamped").GetBoolean();
        if (!files.TryGetValue(BundleLayout.CheckpointTimestamp, out var tsr))
            check(!stamped && tsaCert is null, "timestamp: none (no TSA was configured when the checkpoint was sealed)",
                "timestamp: the token is missing");
        else if (!Rfc3161TimestampToken.TryDecode(tsr, out var token, out _)) failures.Add("timestamp: token unreadable");
        else
        {
            var holds = token!.VerifySignatureForHash(SHA256.HashData(checkpointText), HashAlgorithmName.SHA256, out var tsa,
                tsaCert is null ? null : new X509Certificate2Collection(tsaCert));
            if (holds && tsaCert is not null) holds = tsa!.RawData.AsSpan().SequenceEqual(tsaCert.RawData);
            var at = token.TokenInfo.Timestamp;
            check(holds, $"timestamp: {tsa?.Subject} stamped the checkpoint at {at:O}", "timestamp: the token does not cover this checkpoint or is not the TSA's");
            check(at >= sealedAt.AddMinutes(-5) && at <= sealedAt.AddDays(1), "timestamp: at the checkpoint's sealing time",
                $"timestamp: {at:O} is not the checkpoint's sealing time {sealedAt:O}");
            if (tsaCert is null)
                passed.Add("note: the token's signer was not checked against a timestamp authority's published certificate (--tsa-cert)");
        }

        // 6. The statement's totals, recomputed from ledger.csv, and the claim's.
        var statement = manifest.GetProperty("statement");
        VerifyLedger(Encoding.UTF8.GetString(files[BundleLayout.Ledger]), statement, check, failures);
        var claim = Json(BundleLayout.Claim);
        var position = claim.GetProperty("position");
        check(claim.GetProperty("loanId").GetGuid() == loanId && claim.GetProperty("asOf").GetString() == asOf
              && new[] { "principal", "interest", "penalty", "fees", "total" }.All(p => position.GetProperty(p).GetDecimal() == statement.GetProperty(p).GetDecimal()),
            "claim.json: the statement's loan, date and amounts", "claim.json: differs from the statement");
    }

    private static string? NullableString(JsonElement e) => e.ValueKind == JsonValueKind.Null ? null : e.GetString();
    private static string Sha(byte[] bytes) => Hex.Of(SHA256.HashData(bytes));

    private static bool SignatureHolds(byte[] content, byte[] signature, X509Certificate2 certificate)
    {
        try
        {
            var cms = new SignedCms(new ContentInfo(content), detached: true);
            cms.Decode(signature);
            if (cms.SignerInfos.Count != 1) return false;
            // .NET checks against the certificate inside the signature when there is one: it must be the lender's.
            if (cms.SignerInfos[0].Certificate is { } inside && !inside.RawData.AsSpan().SequenceEqual(certificate.RawData)) return false;
            cms.CheckSignature(new X509Certificate2Collection(certificate), verifySignatureOnly: true);
            return true;
        }
        catch (CryptographicException) { return false; }
    }

    private static void VerifyLedger(string csv, JsonElement statement, Action<bool, string, string?> check, List<string> failures)
    {
        var rows = Csv.Parse(csv);
        if (rows.Count == 0 || !rows[0].SequenceEqual(BundleLayout.LedgerColumns)) { failures.Add("ledger.csv: unexpected columns"); return; }
        var col = BundleLayout.LedgerColumns.Select((c, i) => (c, i)).ToDictionary(x => x.c, x => x.i);
        decimal D(string[] r, string c) => r[col[c]].Length == 0 ? 0m : decimal.Parse(r[col[c]], NumberStyles.Number, CultureInfo.InvariantCulture);
        decimal principal = 0, interest = 0, penalty = 0, fees = 0;
        var paid = new decimal[4];
        var allocated = new decimal[4];
        foreach (var r in rows.Skip(1))
        {
            if (r.Length != BundleLayout.LedgerColumns.Length) { failures.Add($"ledger.csv: a row of {r.Length} fields"); continue; }
            switch (r[col["row"]])
            {
                case "installment":
                    var n = r[col["installment"]];
                    var rowHolds = D(r, "principal") - D(r, "principal_paid") == D(r, "principal_outstanding")
                        && D(r, "interest") - D(r, "interest_waived") - D(r, "interest_paid") - D(r, "interest_not_yet_owed") == D(r, "interest_outstanding")
                        && D(r, "penalty") - D(r, "penalty_paid") == D(r, "penalty_outstanding")
                        && D(r, "fees") - D(r, "fees_paid") == D(r, "fees_outstanding");
                    if (!rowHolds) failures.Add($"ledger.csv: instalment {n} does not add up");
                    principal += D(r, "principal_outstanding");
                    interest += D(r, "interest_outstanding");
                    penalty += D(r, "penalty_outstanding");
                    fees += D(r, "fees_outstanding");
                    paid[0] += D(r, "principal_paid"); paid[1] += D(r, "interest_paid"); paid[2] += D(r, "penalty_paid"); paid[3] += D(r, "fees_paid");
                    break;
                case "payment":
                    allocated[0] += D(r, "principal_paid"); allocated[1] += D(r, "interest_paid"); allocated[2] += D(r, "penalty_paid"); allocated[3] += D(r, "fees_paid");
                    break;
                default:
                    failures.Add($"ledger.csv: unknown row kind '{r[col["row"]]}'");
                    break;
            }
        }
        check(paid.SequenceEqual(allocated), "ledger.csv: payments' allocations equal what the instalments show paid",
            "ledger.csv: payments' allocations differ from the instalments' paid amounts");
        decimal S(string name) => statement.GetProperty(name).GetDecimal();
        foreach (var (name, value) in new[] { ("principal", principal), ("interest", interest), ("penalty", penalty), ("fees", fees) })
            check(S(name) == value, $"statement: {name} outstanding {value} recomputed from ledger.csv",
                $"statement: {name} outstanding is {S(name)}, ledger.csv adds up to {value}");
        check(S("total") == principal + interest + penalty + fees, "statement: total recomputed", "statement: total is not the sum of its parts");
    }
}

/// <summary>RFC 4180 CSV: quoted fields may hold commas, quotes (doubled) and line breaks.</summary>
public static class Csv
{
    public static List<string[]> Parse(string text)
    {
        var rows = new List<string[]>();
        var row = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else field.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { row.Add(field.ToString()); field.Clear(); }
            else if (c == '\n' || c == '\r')
            {
                if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n') i++;
                row.Add(field.ToString()); field.Clear();
                rows.Add([.. row]); row.Clear();
            }
            else field.Append(c);
        }
        if (field.Length > 0 || row.Count > 0) { row.Add(field.ToString()); rows.Add([.. row]); }
        return rows;
    }
}
