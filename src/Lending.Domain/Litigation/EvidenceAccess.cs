using System.Security.Cryptography;
using System.Text;
using Lending.Domain.Loans;

namespace Lending.Domain.Litigation;

/// <summary>
/// An evidence bundle was pulled: who, when, for which as-of date and purpose, and what it contained (its content root
/// and manifest hash, the checkpoint it is proved against). Kept in the loan's evidence-access stream
/// (<see cref="EvidenceAccess.StreamFor"/>), itself sealed like every event: a pull never changes the loan's own
/// stream, so the next pull of the same date proves the same content.
/// </summary>
public sealed record EvidenceBundlePulled(Guid LoanId, DateOnly AsOf, string Purpose, string ContentRoot, string ManifestSha256,
    long CheckpointTreeSize, string PulledBy, DateTimeOffset PulledAt, DateOnly BusinessDate);

/// <summary>Who may pull a loan's evidence, of which date, and why: legal staff only, with a stated purpose.</summary>
public static class EvidenceAccess
{
    public const int MaxPurposeLength = 500;

    /// <summary>The loan's evidence-access stream: a name-based id (SHA-256 of the loan id), the same on every node.</summary>
    public static Guid StreamFor(Guid loanId)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"lending:evidence-access:{loanId:D}"));
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80); // version 8: vendor-specific, name-based
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80); // RFC 9562 variant
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }

    /// <summary>Refuses a pull that is not legal's, has no purpose, or asks for a date the loan did not exist or has not reached.</summary>
    public static void EnsureMayPull(Loan loan, DateOnly asOf, string? purpose, LitigationActor actor, DateOnly businessDate)
    {
        if (!actor.IsLegal)
            throw new LendingRuleViolated("evidence.legal_only", "Only legal staff pull evidence bundles.", RefusalKind.Forbidden);
        if (string.IsNullOrWhiteSpace(purpose))
            throw new LendingRuleViolated("evidence.purpose_required", "State the purpose of the pull (e.g. the case it is for); it is recorded.");
        if (purpose.Length > MaxPurposeLength)
            throw new LendingRuleViolated("evidence.purpose_too_long", $"At most {MaxPurposeLength} characters.");
        if (asOf > businessDate)
            throw new LendingRuleViolated("as_of.in_future", $"asOf {asOf:yyyy-MM-dd} is after the business date {businessDate:yyyy-MM-dd}.");
        if (asOf < loan.DisbursedOn)
            throw new LendingRuleViolated("evidence.before_loan", $"The loan was disbursed on {loan.DisbursedOn:yyyy-MM-dd}.");
    }
}
