using Lending.Domain.Products;

namespace Lending.Domain.Loans;

/// <summary>
/// A loan as its events make it. Built only by <see cref="Evolve"/>; the same function serves the write model
/// (decisions) and the inline read model, so the two can never disagree.
/// </summary>
public sealed record Loan(
    Guid Id,
    LoanStatus Status,
    string ProductCode,
    ProductTerms Terms,
    Borrower Borrower,
    decimal Principal,
    string Currency,
    DateOnly DisbursedOn,
    string? Region,
    string? Branch,
    decimal PrincipalOutstanding,
    decimal InterestOutstanding,
    decimal PenaltyOutstanding,
    decimal FeesOutstanding,
    int Dpd,
    DelinquencyBucket Bucket,
    EscalationStage Stage,
    DateOnly? NextDueDate,
    string? AssignedTo)
{
    /// <summary>Stream version this state was built from; set by the event store.</summary>
    public long Version { get; set; }

    public decimal TotalOutstanding => PrincipalOutstanding + InterestOutstanding + PenaltyOutstanding + FeesOutstanding;

    public static Loan Disbursed(LoanDisbursed e) => new(
        e.LoanId, LoanStatus.Active, e.ProductCode, e.Terms, e.Borrower, e.Principal, e.Currency, e.DisbursedOn,
        e.Region, e.Branch,
        PrincipalOutstanding: e.Principal, InterestOutstanding: 0m, PenaltyOutstanding: 0m, FeesOutstanding: 0m,
        Dpd: 0, Bucket: DelinquencyBucket.Current, Stage: EscalationStage.None, NextDueDate: null, AssignedTo: null);

    public static Loan Evolve(Loan? state, object @event) => (state, @event) switch
    {
        (null, LoanDisbursed e) => Disbursed(e),
        _ => state!,
    };
}
