namespace Lending.Domain.Loans;

/// <summary>The borrower's identity as recorded in the contract.</summary>
/// <param name="TimeZone">IANA zone of the borrower's residence: contact hours are judged in it.</param>
public sealed record Borrower(
    string Id,
    string Name,
    string? Phone,
    string? Email,
    string? NationalId,
    string TimeZone,
    string? Address);
