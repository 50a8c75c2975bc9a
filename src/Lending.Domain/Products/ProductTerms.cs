using System.Text.Json.Serialization;

namespace Lending.Domain.Products;

public enum Amortization
{
    /// <summary>Equal instalments (等额本息).</summary>
    Annuity,
    /// <summary>Equal principal parts (等额本金).</summary>
    EqualPrincipal,
    /// <summary>One payment at maturity.</summary>
    Bullet,
}

public enum PaymentFrequency { Monthly, Biweekly, Weekly }

public enum DayCount
{
    [JsonStringEnumMemberName("ACT/365")] Act365,
    [JsonStringEnumMemberName("ACT/360")] Act360,
}

public enum ConductProfile
{
    [JsonStringEnumMemberName("US-RegF")] UsRegF,
    [JsonStringEnumMemberName("CN-NIFA")] CnNifa,
}

/// <summary>
/// The contract terms of a product. A loan copies them into its <c>LoanDisbursed</c> event, so a later edit
/// of the product never changes an existing contract.
/// </summary>
public sealed record ProductTerms(
    Amortization Amortization,
    int? Installments,
    PaymentFrequency? Frequency,
    int? TermDays,
    decimal AnnualRate,
    DayCount DayCount,
    int GraceDays,
    decimal PenaltyMultiplier,
    decimal LateFee,
    decimal RateCap,
    ConductProfile ConductProfile,
    string Currency);

/// <summary>A lending product as configured by an administrator.</summary>
public sealed record Product(string Code, string Name, ProductTerms Terms, DateTimeOffset UpdatedAt, string UpdatedBy)
{
    /// <summary>Marten document identity.</summary>
    public string Id => Code;
}
