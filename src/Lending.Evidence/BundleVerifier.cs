using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;

namespace Lending.Evidence;

/// <summary>What checking a bundle found: each check that held, and each failure named.</summary>
public sealed record VerificationReport(IReadOnlyList<string> Passed, IReadOnlyList<string> Failures)
{
    public bool Holds => Failures.Count == 0;
}

/// <summary>
/// Checks an evidence bundle offline, with nothing of the service: every file's SHA-256, each event's data hash and
/// leaf, the stream's hash chain from its first version with nothing missing, every inclusion proof against the
/// checkpoint, the checkpoint's CMS signature against the lender's certificate, the RFC 3161 token when present, the
/// pull seal, and the statement's totals recomputed from <c>ledger.csv</c>.
/// </summary>
public static class BundleVerifier
{
    public static VerificationReport Verify(byte[] zip, X509Certificate2? lenderCertificate = null, X509Certificate2? tsaCertificate = null)
    {
        var passed = new List<string>();
        var failures = new List<string>();
        void Check(bool holds, string what, string? failure = null)
        {
            if (holds) passed.Add(what);
            else failures.Add(failure ?? what);
        }

        Dictionary<string, byte[]> files;
        try
        {
            using var archive = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read);
            files = archive.Entries.Where(e => !e.FullName.EndsWith('/')).ToDictionary(e => e.FullName, e =>
            {
                using var s = e.Open();
                using var m = new MemoryStream();
                s.CopyTo(m);
                return m.ToArray();
            });
        }
        catch (Exception e) when (e is InvalidDataException or IOException or ArgumentException)
        {
            return new([], [$"not a readable zip: {e.Message}"]);
        }

        string Text(string name) => Encoding.UTF8.GetString(files[name]);
        foreach (var required in new[] { BundleLayout.Manifest, BundleLayout.ManifestSums, BundleLayout.Events, BundleLayout.Proofs,
                     BundleLayout.Checkpoint, BundleLayout.CheckpointSignature, BundleLayout.Ledger, BundleLayout.Claim, BundleLayout.Statement })
            if (!files.ContainsKey(required)) failures.Add($"{required}: missing");
        if (failures.Count > 0) return new(passed, failures);

        // 1. File hashes: manifest-sha256.txt (sha256sum -c format) and manifest.json list the same hashes of every content file.
        var sums = new Dictionary<string, string>();
        foreach (var line in Text(BundleLayout.ManifestSums).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split("  ", 2);
            if (parts.Length == 2) sums[parts[1]] = parts[0];
            else failures.Add($"{BundleLayout.ManifestSums}: malformed line '{line}'");
        }
        foreach (var (name, content) in files.Where(f => !f.Key.StartsWith(BundleLayout.MetaInf) && f.Key != BundleLayout.ManifestSums))
        {
            var actual = Hex.Of(SHA256.HashData(content));
            if (!sums.TryGetValue(name, out var listed)) failures.Add($"{name}: not listed in {BundleLayout.ManifestSums}");
            else Check(listed == actual, $"{name}: SHA-256 matches", $"{name}: SHA-256 {actual} is not the listed {listed} (altered)");
        }
        foreach (var name in sums.Keys.Where(n => !files.ContainsKey(n))) failures.Add($"{name}: listed but missing from the bundle");

        JsonElement manifest;
        try { manifest = JsonDocument.Parse(files[BundleLayout.Manifest]).RootElement; }
        catch (JsonException e) { failures.Add($"{BundleLayout.Manifest}: not JSON ({e.Message})"); return new(passed, failures); }
        try
        {
            foreach (var f in manifest.GetProperty("files").EnumerateArray())
            {
                var name = f.GetProperty("path").GetString()!;
                if (!files.TryGetValue(name, out var content)) { failures.Add($"{name}: in {BundleLayout.Manifest} but missing"); continue; }
                Check(f.GetProperty("sha256").GetString() == Hex.Of(SHA256.HashData(content)), $"{name}: matches {BundleLayout.Manifest}",
                    $"{name}: SHA-256 differs from {BundleLayout.Manifest}");
            }
            VerifyRecord(files, manifest, lenderCertificate, tsaCertificate, Check, failures);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or CryptographicException)
        {
            failures.Add($"malformed bundle: {e.Message}");
        }
        return new(passed, failures);
    }

    private static void VerifyRecord(Dictionary<string, byte[]> files, JsonElement manifest, X509Certificate2? lender, X509Certificate2? tsaCert,
        Action<bool, string, string?> check, List<string> failures)
    {
        var loanId = manifest.GetProperty("loanId").GetGuid();
        var asOf = manifest.GetProperty("asOf").GetString()!;

        // 2. Events: data hash, leaf, chain from version 1 with no gap, as-of cut.
        var lines = Encoding.UTF8.GetString(files[BundleLayout.Events]).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var leaves = new List<byte[]>();
        var positions = new List<long>();
        string? previous = null;
        var expectedVersion = 1L;
        var chainHolds = true;
        foreach (var line in lines)
        {
            var e = JsonDocument.Parse(line).RootElement;
            var version = e.GetProperty("version").GetInt64();
            var leaf = new EventLeaf(e.GetProperty("seq").GetInt64(), e.GetProperty("streamId").GetGuid(), version,
                e.GetProperty("type").GetString()!, e.GetProperty("businessDate").ValueKind == JsonValueKind.Null ? null : e.GetProperty("businessDate").GetString(),
                e.GetProperty("timestamp").GetString()!, e.GetProperty("dataSha256").GetString()!,
                e.GetProperty("prevLeaf").ValueKind == JsonValueKind.Null ? null : e.GetProperty("prevLeaf").GetString());
            var name = $"event v{version} ({leaf.Type})";
            if (leaf.StreamId != loanId) failures.Add($"{name}: belongs to stream {leaf.StreamId}, not loan {loanId}");
            if (version != expectedVersion) { failures.Add($"{name}: expected version {expectedVersion} (an event is missing or out of order)"); chainHolds = false; }
            if (leaf.PrevLeaf != previous) { failures.Add($"{name}: does not chain to the previous event's leaf"); chainHolds = false; }
            var hash = Hex.Of(leaf.Hash());
            check(hash == e.GetProperty("leaf").GetString(), $"{name}: leaf recomputed", $"{name}: leaf does not match its fields (altered)");
            var afterAsOf = e.TryGetProperty("afterAsOf", out var a) && a.GetBoolean();
            if (e.TryGetProperty("data", out var data))
            {
                var dataHash = Hex.Of(SHA256.HashData(Encoding.UTF8.GetBytes(CanonicalJson.Canonicalize(data.GetRawText()))));
                check(dataHash == leaf.DataSha256, $"{name}: data hash recomputed", $"{name}: data does not match its hash (altered)");
                check(EventLeaf.BusinessDateOf(data.GetRawText()) == leaf.BusinessDate, $"{name}: business date is the data's",
                    $"{name}: business date differs from the data's");
            }
            else if (!afterAsOf) failures.Add($"{name}: has no data but is not after the as-of date");
            if (afterAsOf != (string.CompareOrdinal(leaf.BusinessDate ?? "", asOf) > 0))
                failures.Add($"{name}: marked {(afterAsOf ? "after" : "up to")} the as-of date {asOf} but booked for {leaf.BusinessDate}");
            leaves.Add(Hex.Parse(hash));
            positions.Add(e.GetProperty("position").GetInt64());
            previous = hash;
            expectedVersion = version + 1;
        }
        check(chainHolds && lines.Length > 0, $"chain: versions 1 to {expectedVersion - 1}, each linked to the one before",
            "chain: broken (see above)");
        var lastVersion = manifest.GetProperty("stream").GetProperty("lastVersion").GetInt64();
        check(lastVersion == expectedVersion - 1, $"chain: ends at the manifest's last version {lastVersion}",
            $"chain: ends at version {expectedVersion - 1}, the manifest says {lastVersion} (events dropped or added)");
        var contentRoot = Hex.Of(Merkle.Root(leaves));
        check(contentRoot == manifest.GetProperty("contentRoot").GetString(), "content root recomputed from the events",
            $"content root {contentRoot} is not the manifest's");

        // 3. Checkpoint and proofs.
        var checkpointText = files[BundleLayout.Checkpoint];
        var checkpoint = JsonDocument.Parse(checkpointText).RootElement;
        var treeSize = checkpoint.GetProperty("treeSize").GetInt64();
        var root = Hex.Parse(checkpoint.GetProperty("rootHash").GetString()!);
        var mc = manifest.GetProperty("checkpoint");
        check(mc.GetProperty("treeSize").GetInt64() == treeSize && mc.GetProperty("rootHash").GetString() == Hex.Of(root),
            "checkpoint: the one the manifest names", "checkpoint: not the one the manifest names (swapped)");
        var proofs = JsonDocument.Parse(files[BundleLayout.Proofs]).RootElement;
        var byPosition = proofs.GetProperty("proofs").EnumerateArray().ToDictionary(p => p.GetProperty("position").GetInt64());
        for (var i = 0; i < leaves.Count; i++)
        {
            var name = $"event v{i + 1}";
            if (i > 0 && positions[i] <= positions[i - 1]) failures.Add($"{name}: log position not after the previous event's (reordered)");
            if (!byPosition.TryGetValue(positions[i], out var proof)) { failures.Add($"{name}: no inclusion proof"); continue; }
            var path = proof.GetProperty("path").EnumerateArray().Select(p => Hex.Parse(p.GetString()!)).ToList();
            check(Merkle.VerifyInclusion(positions[i], treeSize, leaves[i], path, root),
                $"{name}: included at position {positions[i]} of the signed checkpoint ({treeSize} events)",
                $"{name}: inclusion proof fails against the checkpoint");
        }

        // 4. Signature over the checkpoint with the lender's certificate (given, else the one in the bundle).
        var certificate = lender ?? (files.TryGetValue(BundleLayout.SealingCertificate, out var pem)
            ? X509Certificate2.CreateFromPem(Encoding.ASCII.GetString(pem)) : null);
        if (certificate is null) failures.Add("checkpoint: no certificate to check the signature with");
        else
        {
            check(SignatureHolds(checkpointText, files[BundleLayout.CheckpointSignature], certificate),
                $"checkpoint: CMS signature holds for {certificate.Subject} (SHA-256 fingerprint {certificate.GetCertHashString(HashAlgorithmName.SHA256)})",
                "checkpoint: CMS signature does not hold for the lender's certificate");
            if (lender is null)
                check(true, "note: the signature was checked against the certificate inside the bundle; compare its fingerprint with the " +
                            "lender's published one, or give that certificate (--cert)", null);
        }

        // 5. The timestamp authority's token over the checkpoint.
        if (files.TryGetValue(BundleLayout.CheckpointTimestamp, out var tsr))
        {
            if (!Rfc3161TimestampToken.TryDecode(tsr, out var token, out _)) failures.Add("timestamp: token unreadable");
            else
            {
                var holds = token!.VerifySignatureForHash(SHA256.HashData(checkpointText), HashAlgorithmName.SHA256, out var tsa,
                    tsaCert is null ? null : new X509Certificate2Collection(tsaCert));
                if (holds && tsaCert is not null) holds = tsa!.RawData.AsSpan().SequenceEqual(tsaCert.RawData);
                check(holds, $"timestamp: {tsa?.Subject} stamped the checkpoint at {token.TokenInfo.Timestamp:O}",
                    "timestamp: the token does not cover this checkpoint or is not the TSA's");
            }
        }

        // 6. The statement's totals, recomputed from ledger.csv.
        VerifyLedger(Encoding.UTF8.GetString(files[BundleLayout.Ledger]), manifest.GetProperty("statement"), check, failures);

        // 7. The pull's seal, when present: over pull.json, which names this content root and manifest.
        if (files.TryGetValue(BundleLayout.Pull, out var pull) && files.TryGetValue(BundleLayout.PullSignature, out var pullSig) && certificate is not null)
        {
            var p = JsonDocument.Parse(pull).RootElement;
            check(SignatureHolds(pull, pullSig, certificate), "pull: sealed by the lender", "pull: seal does not hold");
            check(p.GetProperty("contentRoot").GetString() == contentRoot
                  && p.GetProperty("manifestSha256").GetString() == Hex.Of(SHA256.HashData(files[BundleLayout.Manifest])),
                "pull: names this content", "pull: names other content");
        }
    }

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
