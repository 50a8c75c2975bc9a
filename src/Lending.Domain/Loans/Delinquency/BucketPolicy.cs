namespace Lending.Domain.Loans.Delinquency;

/// <summary>A bucket and the lowest DPD that falls in it.</summary>
public sealed record BucketRange(DelinquencyBucket Bucket, int MinDpd);

/// <summary>DPD ranges of the delinquency buckets (configurable, like Fineract's delinquency ranges).</summary>
public sealed record BucketPolicy(IReadOnlyList<BucketRange> Ranges)
{
    /// <summary>DOMAIN.md: current 0, M1 1–30, M2 31–60, … M6 151–180, M6+ over 180.</summary>
    public static readonly BucketPolicy Default = new([
        new(DelinquencyBucket.Current, 0), new(DelinquencyBucket.M1, 1), new(DelinquencyBucket.M2, 31),
        new(DelinquencyBucket.M3, 61), new(DelinquencyBucket.M4, 91), new(DelinquencyBucket.M5, 121),
        new(DelinquencyBucket.M6, 151), new(DelinquencyBucket.M6Plus, 181),
    ]);

    public DelinquencyBucket For(int dpd) =>
        Ranges.Where(r => r.MinDpd <= dpd).OrderByDescending(r => r.MinDpd).Select(r => r.Bucket).FirstOrDefault(DelinquencyBucket.Current);
}
