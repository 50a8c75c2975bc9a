namespace Lending.Domain.Analytics;

/// <summary>How many loans of a cohort were disbursed, and how many first reached the vintage DPD, on one date.</summary>
public sealed record CohortDay(DateOnly Cohort, DateOnly Date, long Disbursed, long Reached);

public sealed record VintagePoint(int MonthOnBook, DateOnly Through, long Loans, decimal Share);

public sealed record VintageCurve(DateOnly Cohort, long Loans, IReadOnlyList<VintagePoint> Points);

/// <summary>
/// Vintage curves: for each disbursement month (cohort), the share of its loans that were ever
/// <see cref="Threshold"/> or more days past due by each month on book. Month on book 0 is the disbursement month
/// itself, ending at its month-end; the last point of a curve ends at the as-of date.
/// </summary>
public static class Vintages
{
    public const int Threshold = 30;

    public static IReadOnlyList<VintageCurve> Of(DateOnly asOf, IEnumerable<CohortDay> days) =>
        [.. days.Where(d => d.Date <= asOf).GroupBy(d => d.Cohort).OrderBy(g => g.Key).Select(g =>
        {
            var loans = g.Sum(d => d.Disbursed);
            var points = new List<VintagePoint>();
            for (var m = 0; g.Key.AddMonths(m) <= asOf; m++)
            {
                var end = RollRateMatrix.MonthEnd(g.Key.AddMonths(m));
                var through = end < asOf ? end : asOf;
                var reached = g.Where(d => d.Date <= through).Sum(d => d.Reached);
                points.Add(new VintagePoint(m, through, reached, DelinquencySummary.Ratio(reached, loans)));
            }
            return new VintageCurve(g.Key, loans, points);
        })];
}
