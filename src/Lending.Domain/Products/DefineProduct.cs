namespace Lending.Domain.Products;

/// <summary>Defaults of DOMAIN.md, applied where a product definition leaves a term out.</summary>
public static class ProductDefaults
{
    public const DayCount DayCountBasis = DayCount.Act365;
    public const int GraceDays = 3;
    public const decimal PenaltyMultiplier = 1.5m;
    public const decimal LateFee = 0m;
    public const decimal RateCap = 0.24m;
    public const ConductProfile Conduct = ConductProfile.CnNifa;
    public const decimal ArrearsTolerance = 0m;
    public const int MaxInstallments = 360;
}

public sealed record DefineProduct(
    string Code,
    string Name,
    Amortization Amortization,
    int? Installments,
    PaymentFrequency? Frequency,
    int? TermDays,
    decimal AnnualRate,
    DayCount? DayCount,
    int? GraceDays,
    decimal? PenaltyMultiplier,
    decimal? LateFee,
    decimal? RateCap,
    ConductProfile? ConductProfile,
    string Currency,
    IReadOnlyList<Component>? AllocationOrder = null,
    decimal? ArrearsTolerance = null,
    Escalation.EscalationLadder? Ladder = null,
    bool? FeesWithinCap = null);

public static class ProductDecisions
{
    /// <summary>Checks a product definition against the lending rules and fills the defaults.</summary>
    public static Product Define(DefineProduct cmd, DateTimeOffset now, string actor)
    {
        var terms = new ProductTerms(
            cmd.Amortization,
            cmd.Amortization == Amortization.Bullet ? null : cmd.Installments,
            cmd.Amortization == Amortization.Bullet ? null : cmd.Frequency ?? PaymentFrequency.Monthly,
            cmd.Amortization == Amortization.Bullet ? cmd.TermDays : null,
            cmd.AnnualRate,
            cmd.DayCount ?? ProductDefaults.DayCountBasis,
            cmd.GraceDays ?? ProductDefaults.GraceDays,
            cmd.PenaltyMultiplier ?? ProductDefaults.PenaltyMultiplier,
            cmd.LateFee ?? ProductDefaults.LateFee,
            cmd.RateCap ?? ProductDefaults.RateCap,
            cmd.ConductProfile ?? ProductDefaults.Conduct,
            cmd.Currency.ToUpperInvariant(),
            cmd.AllocationOrder ?? ProductTerms.DefaultAllocationOrder,
            cmd.ArrearsTolerance ?? ProductDefaults.ArrearsTolerance,
            // China's cap on the comprehensive cost of borrowing counts fees; Reg F products keep them apart.
            cmd.FeesWithinCap ?? (cmd.ConductProfile ?? ProductDefaults.Conduct) == ConductProfile.CnNifa);

        Require(terms.Amortization == Amortization.Bullet || terms.Installments is > 0,
            "product.installments_required", "Instalment products need a positive number of instalments.");
        Require(terms.Amortization != Amortization.Bullet || terms.TermDays is > 0,
            "product.term_days_required", "Bullet products need a positive term in days.");
        Require(terms.AnnualRate >= 0, "product.rate_negative", "The annual rate cannot be negative.");
        Require(terms.RateCap > 0, "product.rate_cap_not_positive", "The rate cap must be positive.");
        // A contract rate above the cap could never be collected in full, let alone with a penalty on top.
        Require(terms.AnnualRate <= terms.RateCap, "product.rate_above_cap",
            $"The annual rate {terms.AnnualRate} exceeds the product's rate cap {terms.RateCap}.");
        Require(terms.GraceDays >= 0, "product.grace_negative", "Grace days cannot be negative.");
        Require(terms.PenaltyMultiplier >= 0, "product.penalty_multiplier_negative", "The penalty multiplier cannot be negative.");
        Require(terms.Installments is null or <= ProductDefaults.MaxInstallments, "product.too_many_installments",
            $"At most {ProductDefaults.MaxInstallments} instalments.");
        Require(terms.ArrearsTolerance >= 0, "product.arrears_tolerance_negative", "The arrears tolerance cannot be negative.");
        Require(terms.AllocationOrder.Count == 4 && terms.AllocationOrder.Distinct().Count() == 4, "product.allocation_order_invalid",
            "The allocation order names each of penalty, fees, interest and principal exactly once.");
        Require(terms.LateFee >= 0, "product.late_fee_negative", "The late fee cannot be negative.");

        if (cmd.Ladder is { } ladder)
        {
            Require(ladder.Stages.Count > 0, "product.ladder_empty", "A ladder has at least one stage.");
            Require(ladder.Stages.Zip(ladder.Stages.Skip(1)).All(p => p.First.Stage < p.Second.Stage), "product.ladder_order",
                "Ladder stages are listed once each, in order (reminder, early_collection, late_collection, demand, legal_review, write_off).");
            Require(ladder.Stages.All(s => s.Stage != Loans.EscalationStage.None), "product.ladder_order", "'none' is not a stage to enter.");
            Require(ladder.Stages.All(s => s.MinDpd is > 0 || s.AfterGrace || s.MinBrokenPromises is > 0), "product.ladder_condition",
                "Each stage needs an entry condition: minDpd, afterGrace or minBrokenPromises.");
        }
        return new Product(cmd.Code, cmd.Name, terms, now, actor, cmd.Ladder);
    }

    private static void Require(bool condition, string code, string detail)
    {
        if (!condition) throw new LendingRuleViolated(code, detail);
    }
}
