using Lending.Domain.Products;

namespace Lending.Api.Products;

public sealed record ProductResponse(
    string Code,
    string Name,
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
    decimal PenaltyRate,
    bool FeesWithinCap,
    IReadOnlyList<Lending.Domain.Escalation.LadderStage>? Ladder,
    DateTimeOffset UpdatedAt,
    string UpdatedBy)
{
    public static ProductResponse From(Product p) => new(p.Code, p.Name, p.Terms.Amortization, p.Terms.Installments,
        p.Terms.Frequency, p.Terms.TermDays, p.Terms.AnnualRate, p.Terms.DayCount, p.Terms.GraceDays,
        p.Terms.PenaltyMultiplier, p.Terms.LateFee, p.Terms.RateCap, p.Terms.ConductProfile, p.Terms.Currency,
        p.Terms.AllocationOrder, p.Terms.ArrearsTolerance, p.Terms.PenaltyRate, p.Terms.FeesWithinCap, p.Ladder?.Stages, p.UpdatedAt, p.UpdatedBy);
}

