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

/// <summary>The parts of an instalment a payment can settle, in the order a waterfall visits them.</summary>
public enum Component { Penalty, Fees, Interest, Principal }

public enum ConductProfile
{
    [JsonStringEnumMemberName("US-RegF")] UsRegF,
    [JsonStringEnumMemberName("CN-NIFA")] CnNifa,
}

/// <summary>
/// The contract terms of a product. A loan copies them into its <c>LoanDisbursed</c> event, so a later edit
/// of the product never changes an existing contract. <see cref="FeesWithinCap"/>: late fees count towards the rate
/// cap together with interest and penalty (a fee that would cross it is clipped); the default for <c>CN-NIFA</c>.
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
    string Currency,
    IReadOnlyList<Component> AllocationOrder,
    decimal ArrearsTolerance,
    bool FeesWithinCap = false)
{
    /// <summary>DOMAIN.md's default waterfall within an instalment.</summary>
    public static readonly IReadOnlyList<Component> DefaultAllocationOrder =
        [Component.Penalty, Component.Fees, Component.Interest, Component.Principal];

    /// <summary>Days in the year for this contract's day count.</summary>
    public int YearBasis => DayCount == DayCount.Act360 ? 360 : 365;

    /// <summary>
    /// Annual penalty rate: contract rate × multiplier, clipped so that contract rate + penalty rate never
    /// exceeds the rate cap (contract 18%, cap 24% → 6%, not 27%).
    /// </summary>
    public decimal PenaltyRate => Math.Max(0m, Math.Min(AnnualRate * PenaltyMultiplier, RateCap - AnnualRate));
}

/// <summary>
/// A lending product as configured by an administrator. The escalation ladder is collection policy, not contract:
/// it lives on the product (not in the terms a loan snapshots), so a change applies to the product's loans at once.
/// Null means the service's default ladder.
/// </summary>
public sealed record Product(string Code, string Name, ProductTerms Terms, DateTimeOffset UpdatedAt, string UpdatedBy,
    Escalation.EscalationLadder? Ladder = null)
{
    /// <summary>Marten document identity.</summary>
    public string Id => Code;
}
