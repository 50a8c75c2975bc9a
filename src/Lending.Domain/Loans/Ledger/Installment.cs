using Lending.Domain.Products;

namespace Lending.Domain.Loans.Ledger;

/// <summary>
/// An instalment's ledger: what was contracted, what accrued on it (penalty, fees) and what was paid or waived.
/// Everything outstanding is derived, so the parts can never disagree with their sum.
/// </summary>
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
    bool LateFeeCharged = false)
{
    public decimal PrincipalDue => Principal - PrincipalPaid;
    public decimal InterestDue => Interest - InterestWaived - InterestPaid;
    public decimal PenaltyDue => Penalty - PenaltyPaid;
    public decimal FeesDue => Fees - FeesPaid;

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
