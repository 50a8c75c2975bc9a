using Lending.Domain.Products;

namespace Lending.Domain.Loans.Ledger;

/// <summary>
/// An instalment's ledger: what was contracted, what accrued on it (penalty, fees) and what was paid or waived.
/// Everything outstanding is derived, so the parts can never disagree with their sum.
/// </summary>
/// <param name="PeriodStart">The day its interest period starts: its interest is owed from the day after (the previous
/// due date, the disbursement date, or a restructure's approval date).</param>
/// <param name="InterestCarried">Part of <see cref="Interest"/> that was already owed when a restructure moved it here
/// (overdue or running-period interest): owed whatever the period, and never waived by a prepayment.</param>
/// <param name="Replaced">Closed by a restructure at what was paid on it; the new schedule carries what it still owed.</param>
/// <param name="PenaltyCarry">Penalty accrued but not yet booked as a whole cent, times the year basis: kept as
/// Σ overdue principal × annual penalty rate − booked × basis, which decimal holds exactly (0 ≤ carry / basis &lt; 0.01).</param>
public sealed record Installment(
    int Number,
    DateOnly DueDate,
    decimal Principal,
    decimal Interest,
    decimal Penalty = 0m,
    decimal Fees = 0m,
    decimal PrincipalPaid = 0m,
    decimal InterestPaid = 0m,
    decimal PenaltyPaid = 0m,
    decimal FeesPaid = 0m,
    decimal InterestWaived = 0m,
    bool LateFeeCharged = false,
    DateOnly PeriodStart = default,
    decimal InterestCarried = 0m,
    bool Replaced = false,
    decimal PenaltyCarry = 0m)
{
    public decimal PrincipalDue => Principal - PrincipalPaid;
    public decimal InterestDue => Interest - InterestWaived - InterestPaid;
    public decimal PenaltyDue => Penalty - PenaltyPaid;
    public decimal FeesDue => Fees - FeesPaid;

    /// <summary>Carried interest still unpaid: owed now, whatever the instalment's period.</summary>
    public decimal CarriedInterestDue => Math.Min(InterestDue, Math.Max(0m, InterestCarried - InterestPaid));

    /// <summary>Whether its interest is owed on <paramref name="date"/>: it is due, or its period has begun.</summary>
    public bool IsBilledOn(DateOnly date) => DueDate <= date || date > PeriodStart;

    /// <summary>Interest owed on <paramref name="date"/>: all of it once billed, else only what was carried here.</summary>
    public decimal InterestOwedOn(DateOnly date) => IsBilledOn(date) ? InterestDue : CarriedInterestDue;

    /// <summary>Contracted principal and interest still unpaid: what makes an instalment past due.</summary>
    public decimal ContractualDue => PrincipalDue + InterestDue;
    public decimal TotalDue => PrincipalDue + InterestDue + PenaltyDue + FeesDue;
    public decimal TotalPaid => PrincipalPaid + InterestPaid + PenaltyPaid + FeesPaid;
    public bool IsSettled => TotalDue == 0m;

    public decimal Due(Component c) => c switch
    {
        Component.Penalty => PenaltyDue,
        Component.Fees => FeesDue,
        Component.Interest => InterestDue,
        _ => PrincipalDue,
    };
}
