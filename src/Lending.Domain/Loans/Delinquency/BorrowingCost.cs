namespace Lending.Domain.Loans.Delinquency;

/// <summary>
/// The loan's total cost of borrowing against its rate cap, for products that count fees towards the cap (China's
/// 24% covers interest, penalty and fees together). The allowance is the cap on the principal actually outstanding,
/// day by day: cap × Σ principal outstanding × days / year basis. The cost is the interest earned so far (instalments
/// due, and the running period pro rata by day), the penalty booked and the fees charged.
/// </summary>
public static class BorrowingCost
{
    /// <summary>The late fee to charge on <paramref name="date"/>: the product's fee, clipped to the room left under the cap.</summary>
    public static decimal LateFee(Loan loan, DateOnly date)
    {
        if (!loan.Terms.FeesWithinCap) return loan.Terms.LateFee;
        var room = Money.Cents(Allowance(loan, date) - Cost(loan, date));
        return Math.Clamp(room, 0m, loan.Terms.LateFee);
    }

    /// <summary>Cap × principal-days outstanding through <paramref name="date"/> / year basis, at full precision.</summary>
    public static decimal Allowance(Loan loan, DateOnly date)
    {
        // Principal repaid on day d stops counting from the day after.
        var principalDays = loan.Principal * (date.DayNumber - loan.DisbursedOn.DayNumber)
            - loan.Payments.Where(p => p.PaidOn <= date).Sum(p => p.Principal * (date.DayNumber - p.PaidOn.DayNumber));
        return loan.Terms.RateCap * principalDays / loan.Terms.YearBasis;
    }

    /// <summary>Interest earned, penalty booked and fees charged through <paramref name="date"/>.</summary>
    public static decimal Cost(Loan loan, DateOnly date) =>
        loan.Installments.Sum(i => InterestEarned(i, date) + i.Penalty + i.Fees);

    private static decimal InterestEarned(Ledger.Installment i, DateOnly date)
    {
        if (i.Replaced) return i.InterestPaid; // what it still owed was carried onto the new schedule
        var own = i.Interest - i.InterestWaived;
        if (i.DueDate <= date) return own;
        if (date <= i.PeriodStart) return Math.Min(own, i.InterestCarried);
        var periodDays = i.DueDate.DayNumber - i.PeriodStart.DayNumber;
        return i.InterestCarried + (own - i.InterestCarried) * (date.DayNumber - i.PeriodStart.DayNumber) / periodDays;
    }
}
