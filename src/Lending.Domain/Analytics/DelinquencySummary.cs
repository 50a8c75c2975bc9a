using Lending.Domain.Loans;
using Lending.Domain.Loans.Delinquency;

namespace Lending.Domain.Analytics;

/// <summary>Loans and balances in one bucket.</summary>
public sealed record BucketFigures(string Bucket, long Loans, decimal PrincipalOutstanding, decimal TotalOutstanding);

/// <summary>A provisioning class: the buckets it holds and the share of their total outstanding expected to be lost.</summary>
public sealed record ProvisionClass(string Class, IReadOnlyList<DelinquencyBucket> Buckets, decimal Rate);

/// <summary>Provisioning classes over the buckets (configurable; every bucket belongs to at most one class).</summary>
public sealed record ProvisioningPolicy(IReadOnlyList<ProvisionClass> Classes)
{
    /// <summary>
    /// DOMAIN.md's classes by DPD over the default buckets: standard 0–30 (current, M1) 1%, substandard 31–90 (M2, M3)
    /// 25%, doubtful 91–180 (M4–M6) 50%, loss over 180 (M6+) 100%. A lender configures its own
    /// (<c>Lending:Analytics:Provisioning</c>), e.g. the five-category classification.
    /// </summary>
    public static readonly ProvisioningPolicy Default = new([
        new("standard", [DelinquencyBucket.Current, DelinquencyBucket.M1], 0.01m),
        new("substandard", [DelinquencyBucket.M2, DelinquencyBucket.M3], 0.25m),
        new("doubtful", [DelinquencyBucket.M4, DelinquencyBucket.M5, DelinquencyBucket.M6], 0.50m),
        new("loss", [DelinquencyBucket.M6Plus], 1.00m),
    ]);
}

public sealed record ProvisionFigures(string Class, long Loans, decimal TotalOutstanding, decimal Rate, decimal Provision);

/// <summary>
/// The delinquency summary of API.md: loans and balances by bucket, portfolio at risk and the provision a lender
/// would book against it. PAR30/PAR90 are the principal outstanding of loans more than 30/90 days past due over all
/// active principal outstanding; the bucket ranges must therefore start a bucket at 31 and at 91 DPD (checked at
/// start-up). Ratios are rounded to six decimal places, provisions to the cent.
/// </summary>
public sealed record DelinquencySummary(
    DateOnly AsOf,
    IReadOnlyList<BucketFigures> Buckets,
    decimal Par30,
    decimal Par90,
    long ActiveLoans,
    decimal PrincipalOutstanding,
    decimal TotalOutstanding,
    IReadOnlyList<ProvisionFigures> Provisioning,
    decimal ExpectedLoss)
{
    public static DelinquencySummary Of(DateOnly asOf, IReadOnlyList<BucketFigures> rows, BucketPolicy buckets, ProvisioningPolicy provisioning)
    {
        var byBucket = rows.GroupBy(r => r.Bucket).ToDictionary(g => g.Key, g => g.ToList());
        var figures = buckets.Ranges.OrderBy(r => r.MinDpd).Select(r =>
        {
            var name = RollState.BucketName(r.Bucket);
            var cells = byBucket.GetValueOrDefault(name, []);
            return (Range: r, Figures: new BucketFigures(name, cells.Sum(c => c.Loans), cells.Sum(c => c.PrincipalOutstanding), cells.Sum(c => c.TotalOutstanding)));
        }).ToList();

        var principal = figures.Sum(f => f.Figures.PrincipalOutstanding);
        decimal Par(int days) => Ratio(figures.Where(f => f.Range.MinDpd > days).Sum(f => f.Figures.PrincipalOutstanding), principal);

        var provisions = provisioning.Classes.Select(c =>
        {
            var inClass = figures.Where(f => c.Buckets.Contains(f.Range.Bucket)).Select(f => f.Figures).ToList();
            var total = inClass.Sum(f => f.TotalOutstanding);
            return new ProvisionFigures(c.Class, inClass.Sum(f => f.Loans), total, c.Rate, Money.Round(total * c.Rate));
        }).ToList();

        return new DelinquencySummary(asOf, [.. figures.Select(f => f.Figures)], Par(30), Par(90), figures.Sum(f => f.Figures.Loans),
            principal, figures.Sum(f => f.Figures.TotalOutstanding), provisions, provisions.Sum(p => p.Provision));
    }

    /// <summary>A share, rounded to six decimal places; 0 when there is nothing to share.</summary>
    public static decimal Ratio(decimal part, decimal whole) =>
        whole == 0m ? 0m : Math.Round(part / whole, 6, MidpointRounding.AwayFromZero);
}
