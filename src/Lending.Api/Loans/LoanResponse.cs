using Lending.Api.Auth;
using Lending.Domain.Loans;
using System.Security.Claims;

namespace Lending.Api.Loans;

public sealed record BorrowerResponse(string Id, string Name, string? Phone, string? Email, string? NationalId, string TimeZone, string? Address)
{
    /// <summary>Risk analysts work on the portfolio, not on people: contact details and national ids are withheld.</summary>
    public static BorrowerResponse For(Borrower b, ClaimsPrincipal user) =>
        user.IsInRole(Roles.RiskAnalyst) && !user.IsInRole(Roles.Supervisor) && !user.IsInRole(Roles.Admin)
        && !user.IsInRole(Roles.Collector) && !user.IsInRole(Roles.Legal)
            ? new(b.Id, b.Name, Phone: null, Email: null, NationalId: null, b.TimeZone, Address: null)
            : new(b.Id, b.Name, b.Phone, b.Email, b.NationalId, b.TimeZone, b.Address);
}

/// <summary>A loan as <c>GET /loans/{id}</c> shows it (API.md "Loans").</summary>
public sealed record LoanResponse(
    Guid LoanId,
    LoanStatus Status,
    string ProductCode,
    decimal Principal,
    string Currency,
    DateOnly DisbursedOn,
    int Dpd,
    DelinquencyBucket Bucket,
    EscalationStage Stage,
    decimal PrincipalOutstanding,
    decimal InterestOutstanding,
    decimal PenaltyOutstanding,
    decimal FeesOutstanding,
    decimal TotalOutstanding,
    DateOnly? NextDueDate,
    string? AssignedTo,
    string? Region,
    string? Branch,
    BorrowerResponse Borrower,
    Products.ProductTermsResponse Terms,
    long Version)
{
    public static LoanResponse From(Loan l, ClaimsPrincipal user) => new(l.Id, l.Status, l.ProductCode, l.Principal,
        l.Currency, l.DisbursedOn, l.Dpd, l.Bucket, l.Stage, l.PrincipalOutstanding, l.InterestOutstanding,
        l.PenaltyOutstanding, l.FeesOutstanding, l.TotalOutstanding, l.NextDueDate, l.AssignedTo, l.Region, l.Branch,
        BorrowerResponse.For(l.Borrower, user), Products.ProductTermsResponse.From(l.Terms), l.Version);
}
