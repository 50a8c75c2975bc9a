using Lending.Domain.Loans.Delinquency;

namespace Lending.Api.Analytics;

public static class AnalyticsRules
{
    /// <summary>
    /// PAR30 and PAR90 are read from the buckets, so buckets must start at 31 and 91 days past due: a configuration
    /// that would make them approximate is refused at start-up.
    /// </summary>
    public static BucketPolicy CheckParBoundaries(BucketPolicy buckets)
    {
        foreach (var dpd in new[] { 31, 91 })
            if (buckets.Ranges.All(r => r.MinDpd != dpd))
                throw new InvalidOperationException(
                    $"Lending:Delinquency:Buckets must start a bucket at {dpd} DPD: PAR{dpd - 1} is computed from the buckets.");
        return buckets;
    }
}
