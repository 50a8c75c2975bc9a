using Lending.Domain.Loans;
using Lending.Domain.Loans.Delinquency;

namespace Lending.Domain.Analytics;

/// <summary>The portfolio cell a loan counts in: product, region and branch ("" when not given) and bucket.</summary>
public sealed record PortfolioCell(string Product, string Region, string Branch, DelinquencyBucket Bucket)
{
    public static PortfolioCell Of(Loan loan) => new(loan.ProductCode, loan.Region ?? "", loan.Branch ?? "", loan.Bucket);
}

/// <summary>
/// Where one loan counts in the portfolio at the end of a business date, and with what: its bucket and what it
/// owes. Closed loans (paid off, settled, written off) count nowhere.
/// </summary>
public sealed record LoanExposure(PortfolioCell Cell, decimal PrincipalOutstanding, decimal TotalOutstanding)
{
    public static LoanExposure? Of(Loan loan, DateOnly date)
    {
        if (loan.IsClosed) return null;
        var position = LoanPosition.Of(loan, date);
        return new(PortfolioCell.Of(loan), position.PrincipalOutstanding, position.TotalOutstanding);
    }
}

/// <summary>What a loan's state is for a roll-rate matrix: its bucket while open, or how it closed.</summary>
public static class RollState
{
    public const string PaidOff = "paid_off";
    public const string Settled = "settled";
    public const string WrittenOff = "written_off";

    public static string Of(Loan loan) => loan.Status switch
    {
        LoanStatus.PaidOff => PaidOff,
        LoanStatus.Settled => Settled,
        LoanStatus.WrittenOff => WrittenOff,
        _ => BucketName(loan.Bucket),
    };

    public static string BucketName(DelinquencyBucket bucket) => bucket switch
    {
        DelinquencyBucket.Current => "current",
        DelinquencyBucket.M6Plus => "M6+",
        _ => bucket.ToString(),
    };

    public static bool IsClosed(string state) => state is PaidOff or Settled or WrittenOff;
}
