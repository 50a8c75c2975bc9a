using Lending.Domain.Loans.Delinquency;

namespace Lending.Domain.Analytics;

/// <summary>Loans that were in <see cref="From"/> at one month-end and in <see cref="To"/> at a later one, with their balance then.</summary>
public sealed record RollTransition(string From, string To, long Loans, decimal Balance);

public sealed record RollCell(string To, long Loans, decimal Balance, decimal Rate, decimal BalanceRate);

public sealed record RollRow(string From, long Loans, decimal Balance, IReadOnlyList<RollCell> To);

/// <summary>
/// The roll-rate matrix between two month-ends: for the loans open in each bucket at the first, where they were at the
/// second (a bucket, or paid off, settled, written off), by count and by the principal outstanding they had at the
/// first. The cure rate is the share of the loans past due at the first that were current, paid off or settled at
/// the second.
/// </summary>
public sealed record RollRateMatrix(DateOnly From, DateOnly To, IReadOnlyList<RollRow> Rows, long Delinquent, long Cured, decimal CureRate,
    decimal CureRateByBalance)
{
    public static RollRateMatrix Of(DateOnly from, DateOnly to, IReadOnlyList<RollTransition> transitions, BucketPolicy buckets)
    {
        var bucketNames = buckets.Ranges.OrderBy(r => r.MinDpd).Select(r => RollState.BucketName(r.Bucket)).ToList();
        string[] columns = [.. bucketNames, RollState.PaidOff, RollState.Settled, RollState.WrittenOff];
        var rows = bucketNames.Select(fromBucket =>
        {
            var leaving = transitions.Where(t => t.From == fromBucket).ToList();
            var (loans, balance) = (leaving.Sum(t => t.Loans), leaving.Sum(t => t.Balance));
            return new RollRow(fromBucket, loans, balance, [.. columns.Select(to =>
            {
                var (n, b) = (leaving.Where(t => t.To == to).Sum(t => t.Loans), leaving.Where(t => t.To == to).Sum(t => t.Balance));
                return new RollCell(to, n, b, DelinquencySummary.Ratio(n, loans), DelinquencySummary.Ratio(b, balance));
            })]);
        }).ToList();

        var delinquent = transitions.Where(t => t.From != RollState.BucketName(Loans.DelinquencyBucket.Current)).ToList();
        var cured = delinquent.Where(t => t.To is "current" or RollState.PaidOff or RollState.Settled).ToList();
        return new RollRateMatrix(from, to, rows, delinquent.Sum(t => t.Loans), cured.Sum(t => t.Loans),
            DelinquencySummary.Ratio(cured.Sum(t => t.Loans), delinquent.Sum(t => t.Loans)),
            DelinquencySummary.Ratio(cured.Sum(t => t.Balance), delinquent.Sum(t => t.Balance)));
    }

    /// <summary>The last day of the month of <paramref name="month"/>.</summary>
    public static DateOnly MonthEnd(DateOnly month) => new DateOnly(month.Year, month.Month, 1).AddMonths(1).AddDays(-1);
}
