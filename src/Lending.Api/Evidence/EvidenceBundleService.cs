using System.Security.Cryptography.Pkcs;
using System.Text;
using System.Text.Json.Nodes;
using Lending.Api.Loans;
using Lending.Domain;
using Lending.Domain.Litigation;
using Lending.Domain.Loans;
using Lending.Evidence;
using Lending.Projections.Evidence;
using Marten;
using Microsoft.Extensions.Options;

namespace Lending.Api.Evidence;

/// <summary>A pulled bundle: the zip and the pull recorded for it.</summary>
public sealed record PulledBundle(byte[] Zip, EvidenceBundlePulled Pull);

/// <summary>
/// Pulls an evidence bundle: the loan as of the date, its events proved in the first checkpoint that holds them (sealing
/// one when none does yet), the content built, the pull sealed and recorded in the loan's evidence-access stream.
/// </summary>
public sealed class EvidenceBundleService(EvidenceRecord record, EvidenceLogSchema schema, CheckpointSealer sealer, EvidenceSigner signer,
    Documents.DocumentFonts fonts, TimeProvider clock, IOptions<Setup.LendingOptions> options, BusinessDates.StandAsideWhileClosing standAside)
{
    public async Task<PulledBundle> PullAsync(IDocumentSession session, Loan loan, IReadOnlyList<JasperFx.Events.IEvent> stream, DateOnly asOf,
        string purpose, string pulledBy, DateOnly today, CancellationToken ct)
    {
        var last = await SealedPositionAsync(session,
            stream.Where(e => e.Data is ILoanEvent le && le.BusinessDate <= asOf).Max(e => e.Sequence), ct);
        var checkpoint = await sealer.FirstCoveringAsync(session, last, ct);
        if (checkpoint is null)
        {
            await sealer.SealAsync(ct);
            checkpoint = await sealer.FirstCoveringAsync(session, last, ct)
                ?? throw new InvalidOperationException($"No checkpoint covers log position {last} after sealing.");
        }

        var leaves = await record.LeavesAsync(session, loan.Id, checkpoint.TreeSize, ct);
        var stored = await record.StoredEventsAsync(session, loan.Id, ct);
        // The statement, ledger and claim are drawn from exactly the events the bundle proves: those in the checkpoint.
        var sealedSeqs = leaves.Select(l => l.Seq).ToHashSet();
        var included = stream.Where(e => sealedSeqs.Contains(e.Sequence) && e.Data is ILoanEvent le && le.BusinessDate <= asOf).ToList();
        var loanAsOf = Loan.AsOf(included.Select(e => e.Data), asOf)!;
        var nodes = await EvidenceLogReads.PerfectNodesAsync(session, schema, Merkle.NodesFor(leaves.Select(l => l.Position), checkpoint.TreeSize), ct);
        var proofs = leaves.ToDictionary(l => l.Position,
            l => Merkle.InclusionProof(l.Position, checkpoint.TreeSize, (level, index) => nodes[(level, index)]));

        var content = EvidenceBundle.Build(new EvidenceInput(loanAsOf, asOf, included.Select(e => e.Data).ToList(), stored, leaves, checkpoint, proofs),
            fonts, TsaCertificatePem(checkpoint));

        var pulledAt = clock.GetUtcNow();
        var pull = new EvidenceBundlePulled(loan.Id, asOf, purpose, content.ContentRoot, content.ManifestSha256, checkpoint.TreeSize, pulledBy,
            pulledAt, today);
        var pullJson = Encoding.UTF8.GetBytes(CanonicalJson.Canonicalize(new JsonObject
        {
            ["loanId"] = loan.Id.ToString("D"),
            ["asOf"] = asOf.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            ["purpose"] = purpose,
            ["pulledBy"] = pulledBy,
            ["pulledAt"] = pulledAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", System.Globalization.CultureInfo.InvariantCulture),
            ["contentRoot"] = content.ContentRoot,
            ["manifestSha256"] = content.ManifestSha256,
            ["checkpointTreeSize"] = checkpoint.TreeSize,
        }.ToJsonString()));
        session.Events.Append(EvidenceAccess.StreamFor(loan.Id), pull);
        await session.SaveChangesAsync(ct);

        var zip = EvidenceBundle.Zip([.. content.Files, (BundleLayout.Pull, pullJson), (BundleLayout.PullSignature, signer.Sign(pullJson, pulledAt)),
            (BundleLayout.PullCertificate, Encoding.UTF8.GetBytes(signer.CertificatePem))]);
        return new PulledBundle(zip, pull);
    }

    /// <summary>The log position of the event with sequence <paramref name="seq"/>, waiting a little for the daemon to seal it.</summary>
    private async Task<long> SealedPositionAsync(IQuerySession session, long seq, CancellationToken ct)
    {
        // Elapsed time of a wait on the daemon, not an instant of lending logic: a monotonic stopwatch, which the test clock
        // (standing still) must not stretch into a hang.
        var waiting = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            if (await record.PositionOfAsync(session, seq, ct) is { } position) return position;
            // The sealed log stands aside while close of business runs: waiting here would not see it move.
            if (standAside.Current is not null)
                throw NotSealedYet(": the sealed log catches up once the close of business now running has finished; try again then.");
            if (waiting.Elapsed.TotalSeconds > options.Value.Evidence.SealWaitSeconds)
                throw NotSealedYet(" (the sealed log runs a little behind); try again in a few seconds.");
            await Task.Delay(100, ct);
        }
    }

    private static LendingRuleViolated NotSealedYet(string why) =>
        new("evidence.not_sealed_yet", "The loan's latest events are not sealed yet" + why, RefusalKind.Unavailable);

    private static string? TsaCertificatePem(Checkpoint checkpoint)
    {
        if (checkpoint.TimestampToken is null || !Rfc3161TimestampToken.TryDecode(checkpoint.TimestampToken, out var token, out _)) return null;
        return token!.AsSignedCms().SignerInfos[0].Certificate?.ExportCertificatePem();
    }
}
