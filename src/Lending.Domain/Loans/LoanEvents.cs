using Lending.Domain.Products;

namespace Lending.Domain.Loans;

/// <summary>
/// Starts a loan's stream. Carries a snapshot of the product terms: the contract is what was agreed on
/// the day, whatever the product says later.
/// </summary>
public sealed record LoanDisbursed(
    Guid LoanId,
    string ProductCode,
    ProductTerms Terms,
    Borrower Borrower,
    decimal Principal,
    string Currency,
    DateOnly DisbursedOn,
    string? Region,
    string? Branch,
    string DisbursedBy,
    DateTimeOffset RecordedAt);
