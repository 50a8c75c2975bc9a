using Lending.Domain.Analytics;
using Lending.Domain.Loans;
using Lending.Domain.Loans.Delinquency;

namespace Lending.Domain.Tests.Analytics;

/// <summary>The arithmetic of the risk figures, from pre-aggregated rows.</summary>
public class AnalyticsFiguresTests
{
    private static readonly DateOnly Day = new(2026, 3, 31);

    [Fact]
    public void Par_counts_principal_more_than_30_and_90_days_late_over_all_active_principal()
    {
        BucketFigures[] rows =
        [
            new("current", 6, 60_000m, 60_600m), new("M1", 2, 10_000m, 10_300m), new("M2", 1, 5_000m, 5_250m),
            new("M4", 1, 4_000m, 4_400m), new("current", 1, 1_000m, 1_010m), // a second cell of the same bucket
        ];
        var summary = DelinquencySummary.Of(Day, rows, BucketPolicy.Default, ProvisioningPolicy.Default);

        Assert.Equal(8, summary.Buckets.Count); // every bucket, empty ones too, in DPD order
        Assert.Equal(("current", 7, 61_000m, 61_610m), (summary.Buckets[0].Bucket, summary.Buckets[0].Loans, summary.Buckets[0].PrincipalOutstanding, summary.Buckets[0].TotalOutstanding));
        Assert.Equal((11, 80_000m, 81_560m), (summary.ActiveLoans, summary.PrincipalOutstanding, summary.TotalOutstanding));
        Assert.Equal(0.1125m, summary.Par30); // (5,000 + 4,000) / 80,000
        Assert.Equal(0.05m, summary.Par90);
        // DOMAIN.md's classes: 1% of (61,610 + 10,300) + 25% of 5,250 + 50% of 4,400 + 100% of nothing over 180 DPD
        Assert.Equal(["standard", "substandard", "doubtful", "loss"], summary.Provisioning.Select(p => p.Class));
        Assert.Equal([719.10m, 1_312.50m, 2_200.00m, 0m], summary.Provisioning.Select(p => p.Provision));
        Assert.Equal(1.00m, summary.Provisioning[^1].Rate);
        Assert.Equal(4_231.60m, summary.ExpectedLoss);
    }

    [Fact]
    public void An_empty_book_has_no_risk_rather_than_a_division_by_zero()
    {
        var summary = DelinquencySummary.Of(Day, [], BucketPolicy.Default, ProvisioningPolicy.Default);
        Assert.Equal((0, 0m, 0m, 0m), (summary.ActiveLoans, summary.Par30, summary.Par90, summary.ExpectedLoss));
    }

    [Fact]
    public void Ratios_are_rounded_half_away_from_zero_to_six_places()
    {
        Assert.Equal(0.666667m, DelinquencySummary.Ratio(2, 3));
        Assert.Equal(0.000001m, DelinquencySummary.Ratio(1, 2_000_000)); // 0.0000005 rounds up
    }

    [Fact]
    public void The_roll_rate_matrix_has_a_row_per_bucket_and_the_cure_rate_counts_current_paid_off_and_settled()
    {
        RollTransition[] moves =
        [
            new("current", "current", 8, 80_000m), new("current", "M1", 2, 20_000m),
            new("M1", "current", 1, 9_000m), new("M1", "M2", 2, 18_000m), new("M1", RollState.PaidOff, 1, 1_000m),
            new("M2", RollState.WrittenOff, 1, 5_000m),
        ];
        var matrix = RollRateMatrix.Of(new(2026, 2, 28), Day, moves, BucketPolicy.Default);

        Assert.Equal(8, matrix.Rows.Count);
        var m1 = matrix.Rows.Single(r => r.From == "M1");
        Assert.Equal((4, 28_000m), (m1.Loans, m1.Balance));
        Assert.Equal(11, m1.To.Count); // eight buckets, paid off, settled, written off
        Assert.Equal((0.5m, 0.642857m), (m1.To.Single(c => c.To == "M2").Rate, m1.To.Single(c => c.To == "M2").BalanceRate));
        Assert.Equal((5, 2, 0.4m), (matrix.Delinquent, matrix.Cured, matrix.CureRate));
        Assert.Equal(0.303030m, matrix.CureRateByBalance); // (9,000 + 1,000) / 33,000
    }

    [Fact]
    public void A_vintage_point_ends_at_its_month_end_or_at_the_as_of_date_and_counts_only_what_was_known_by_then()
    {
        var jan = new DateOnly(2026, 1, 1);
        var feb = new DateOnly(2026, 2, 1);
        CohortDay[] days =
        [
            new(jan, new(2026, 1, 10), 10, 0), new(jan, new(2026, 1, 20), 10, 0), new(jan, new(2026, 3, 5), 0, 2),
            new(jan, new(2026, 4, 2), 0, 1), new(feb, new(2026, 2, 14), 5, 0), new(feb, new(2026, 4, 20), 0, 1),
        ];
        var curves = Vintages.Of(new DateOnly(2026, 4, 10), days);

        Assert.Equal([jan, feb], curves.Select(c => c.Cohort));
        Assert.Equal([0m, 0m, 0.1m, 0.15m], curves[0].Points.Select(p => p.Share));
        Assert.Equal(new DateOnly(2026, 4, 10), curves[0].Points[^1].Through);
        Assert.Equal(5, curves[1].Loans);
        Assert.Equal([0m, 0m, 0m], curves[1].Points.Select(p => p.Share));
    }

    [Fact]
    public void A_closed_loan_counts_nowhere_and_an_open_one_in_its_cell()
    {
        var loan = Loans.LoanBuilder.Disbursed().CloseThrough(new DateOnly(2026, 1, 16)).Loan;
        var exposure = LoanExposure.Of(loan, new DateOnly(2026, 1, 16))!;
        Assert.Equal((new PortfolioCell("P", "", "", DelinquencyBucket.Current), 12_000m, 12_120m),
            (exposure.Cell, exposure.PrincipalOutstanding, exposure.TotalOutstanding));
        Assert.Null(LoanExposure.Of(loan with { Status = LoanStatus.PaidOff }, new DateOnly(2026, 1, 16)));
        Assert.Equal(RollState.PaidOff, RollState.Of(loan with { Status = LoanStatus.PaidOff }));
        Assert.Equal("M6+", RollState.BucketName(DelinquencyBucket.M6Plus));
    }
}
