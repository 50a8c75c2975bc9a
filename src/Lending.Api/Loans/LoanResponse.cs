using System.Security.Claims;
using Lending.Api.Auth;
using Lending.Domain.Loans;
using Lending.Domain.Loans.Delinquency;
using Lending.Domain.Products;

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

/// <summary>A loan as <c>GET /loans/{id}</c> shows it (API.md "Loans"), as of a business date.</summary>
public sealed record LoanResponse(
    Guid LoanId,
    LoanStatus Status,
    string ProductCode,
    decimal Principal,
    string Currency,
    DateOnly DisbursedOn,
    DateOnly AsOf,
    int Dpd,
    DelinquencyBucket Bucket,
    EscalationStage Stage,
    decimal PrincipalOutstanding,
    decimal InterestOutstanding,
    decimal PenaltyOutstanding,
    decimal FeesOutstanding,
    decimal TotalOutstanding,
    decimal Arrears,
    DateOnly? NextDueDate,
    bool DelinquencyPaused,
    DateOnly? ClosedOn,
    decimal Overpaid,
    string? AssignedTo,
    Lending.Domain.Collections.AssigneeKind? AssignedKind,
    Lending.Domain.Collections.Promise? OpenPromise,
    int BrokenPromises,
    int KeptPromises,
    bool CeaseContact,
    bool DisputeUnverified,
    Lending.Domain.Escalation.PendingWriteOff? PendingWriteOff,
    bool Restructured,
    Lending.Domain.Restructuring.PendingRestructure? PendingRestructure,
    bool PlanBreached,
    DateOnly? WrittenOffOn,
    int OpenComplaints,
    string? Region,
    string? Branch,
    BorrowerResponse Borrower,
    ProductTerms Terms,
    long Version)
{
    public static LoanResponse From(Loan l, DateOnly date, ClaimsPrincipal user)
    {
        var p = LoanPosition.Of(l, date);
        return new(l.Id, l.Status, l.ProductCode, l.Principal, l.Currency, l.DisbursedOn, date, p.Dpd, l.Bucket, l.Stage,
            p.PrincipalOutstanding, p.InterestOutstanding, p.PenaltyOutstanding, p.FeesOutstanding, p.TotalOutstanding,
            p.Arrears, p.NextDueDate, l.IsPaused, l.ClosedOn, l.Overpaid, l.AssignedTo, l.Collections.Assignment?.Kind,
            l.Collections.OpenPromise, l.Collections.BrokenPromises, l.Collections.KeptPromises, l.Collections.CeaseContact,
            l.Collections.DisputeUnverified, l.PendingWriteOff, l.Restructuring.Restructured, l.Restructuring.Pending,
            l.Restructuring.PlanBreached, l.WrittenOffOn, l.Collections.OpenComplaints.Count, l.Region, l.Branch,
            BorrowerResponse.For(l.Borrower, user), l.Terms, l.Version);
    }
}
