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
    /// The five-category classification by days past due (normal, special mention, substandard, doubtful), with the
    /// usual general-provision rates; a lender configures its own.
    /// </summary>
    public static readonly ProvisioningPolicy Default = new([
        new("normal", [DelinquencyBucket.Current], 0.01m),
        new("special_mention", [DelinquencyBucket.M1, DelinquencyBucket.M2, DelinquencyBucket.M3], 0.02m),
        new("substandard", [DelinquencyBucket.M4, DelinquencyBucket.M5, DelinquencyBucket.M6], 0.25m),
        new("doubtful", [DelinquencyBucket.M6Plus], 0.50m),
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
