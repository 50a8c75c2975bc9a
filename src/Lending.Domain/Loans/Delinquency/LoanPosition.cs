using Lending.Domain.Loans.Ledger;

namespace Lending.Domain.Loans.Delinquency;

/// <summary>An instalment's state on a date; <see cref="Replaced"/>: closed by a restructure, its balance carried to new ones.</summary>
public enum InstallmentStatus { Paid, Overdue, Due, Upcoming, Replaced }

/// <summary>
/// What a loan owes and how late it is on a given business date, derived from its ledger. Interest counts as
/// outstanding once due, and for the current period once it has begun (see <see cref="Billed"/>), so that paying the
/// total outstanding closes the loan.
/// </summary>
public sealed record LoanPosition(
    DateOnly Date,
    int Dpd,
    decimal PrincipalOutstanding,
    decimal InterestOutstanding,
    decimal PenaltyOutstanding,
    decimal FeesOutstanding,
    decimal Arrears,
    DateOnly? NextDueDate)
{
    public decimal TotalOutstanding => PrincipalOutstanding + InterestOutstanding + PenaltyOutstanding + FeesOutstanding;

    public static LoanPosition Of(Loan loan, DateOnly date)
    {
        return new LoanPosition(
            date,
            DpdOf(loan, date),
            loan.Installments.Sum(i => i.PrincipalDue),
            loan.Schedule.Sum(i => i.InterestOwedOn(date)),
            loan.Installments.Sum(i => i.PenaltyDue),
            loan.Installments.Sum(i => i.FeesDue),
            ArrearsOf(loan, date),
            loan.Schedule.Where(i => !i.IsSettled && i.DueDate >= date).Select(i => (DateOnly?)i.DueDate).FirstOrDefault());
    }

    /// <summary>
    /// Instalments whose interest is owed on <paramref name="date"/>: those due, and the current one once its period
    /// has begun (the day after its <see cref="Installment.PeriodStart"/>). The current period's interest is then owed
    /// in full; later periods' interest never is before they begin (interest a restructure carried excepted, see
    /// <see cref="Installment.InterestOwedOn"/>). By due date, whatever the order instalments were added in.
    /// </summary>
    public static IEnumerable<Installment> Billed(Loan loan, DateOnly date) => loan.Schedule.Where(i => i.IsBilledOn(date));

    /// <summary>Contractual principal and interest past due (due before <paramref name="date"/>) and unpaid.</summary>
    public static decimal ArrearsOf(Loan loan, DateOnly date) =>
        loan.Installments.Where(i => i.DueDate < date).Sum(i => i.ContractualDue);

    /// <summary>
    /// Days past due: <paramref name="date"/> − due date of the oldest instalment not fully paid, less the paused days
    /// in between; 0 when nothing is past due or the arrears are under the product's materiality floor.
    /// </summary>
    public static int DpdOf(Loan loan, DateOnly date)
    {
        if (loan.IsClosed) return 0;
        var oldest = loan.Schedule.FirstOrDefault(i => i.DueDate < date && i.ContractualDue > 0m);
        if (oldest is null) return 0;
        if (ArrearsOf(loan, date) < loan.Terms.ArrearsTolerance) return 0;
        return DaysPastDue(loan, oldest, date);
    }

    /// <summary>How long one instalment has been past due on <paramref name="date"/>, paused days excluded.</summary>
    public static int DaysPastDue(Loan loan, Installment installment, DateOnly date) =>
        date.DayNumber - installment.DueDate.DayNumber - PausedDays(loan.Pauses, installment.DueDate, date);

    /// <summary>Paused days after <paramref name="after"/> up to and including <paramref name="through"/>.</summary>
    public static int PausedDays(IReadOnlyList<PauseInterval> pauses, DateOnly after, DateOnly through)
    {
        var days = 0;
        foreach (var p in pauses)
        {
            var from = Max(p.From, after.AddDays(1));
            var until = Min(p.Until ?? through, through);
            if (until >= from) days += until.DayNumber - from.DayNumber + 1;
        }
        return days;
    }

    public static InstallmentStatus StatusOf(Installment i, DateOnly date) =>
        i.Replaced ? InstallmentStatus.Replaced
        : i.IsSettled ? InstallmentStatus.Paid
        : i.DueDate < date ? InstallmentStatus.Overdue
        : i.DueDate == date ? InstallmentStatus.Due
        : InstallmentStatus.Upcoming;

    private static DateOnly Max(DateOnly a, DateOnly b) => a > b ? a : b;
    private static DateOnly Min(DateOnly a, DateOnly b) => a < b ? a : b;
}
