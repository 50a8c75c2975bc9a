using Lending.Domain.Products;

namespace Lending.Domain.Loans.Schedules;

/// <summary>One instalment as contracted: what falls due on a date.</summary>
public sealed record ScheduledInstallment(int Number, DateOnly DueDate, decimal Principal, decimal Interest)
{
    public decimal Total => Principal + Interest;
}

/// <summary>
/// Repayment schedules, computed once at disbursement (DOMAIN.md "Schedule").
/// Annuity: payment = P·r / (1 − (1 + r)^−n) rounded to the cent; each period's interest is the remaining principal × r
/// rounded to the cent; the last instalment absorbs the rounding so the principal parts sum to P exactly.
/// Equal principal: P / n rounded, interest on the remaining principal, the last part absorbs the rounding.
/// Bullet: interest = P × rate × days / year basis, all due at maturity.
/// The periodic rate is annual / 12 for monthly terms, and annual × 14 (or 7) / year basis for biweekly (weekly) terms.
/// </summary>
public static class RepaymentSchedule
{
    public static IReadOnlyList<ScheduledInstallment> Generate(ProductTerms terms, decimal principal, DateOnly disbursedOn) =>
        terms.Amortization switch
        {
            Amortization.Bullet => Bullet(terms, principal, disbursedOn),
            Amortization.Annuity => Amortize(principal, terms.Installments!.Value, PeriodicRate(terms), DueDates(terms, disbursedOn), annuity: true),
            Amortization.EqualPrincipal => Amortize(principal, terms.Installments!.Value, PeriodicRate(terms), DueDates(terms, disbursedOn), annuity: false),
            _ => throw new ArgumentOutOfRangeException(nameof(terms), terms.Amortization, "Unknown amortization"),
        };

    /// <summary>Re-amortizes a remaining principal over given due dates (used by restructuring).</summary>
    public static IReadOnlyList<ScheduledInstallment> Amortize(decimal principal, int installments, decimal periodicRate,
        IReadOnlyList<DateOnly> dueDates, bool annuity, int firstNumber = 1)
    {
        var payment = annuity ? AnnuityPayment(principal, periodicRate, installments) : 0m;
        var equalPart = annuity ? 0m : Money.Round(principal / installments);
        var remaining = principal;
        var result = new List<ScheduledInstallment>(installments);
        for (var k = 0; k < installments; k++)
        {
            var interest = Money.Round(remaining * periodicRate);
            var last = k == installments - 1;
            var principalPart = last ? remaining
                : annuity ? Math.Min(remaining, Math.Max(0m, payment - interest))
                : Math.Min(remaining, equalPart);
            result.Add(new ScheduledInstallment(firstNumber + k, dueDates[k], principalPart, interest));
            remaining -= principalPart;
        }
        return result;
    }

    /// <summary>P·r / (1 − (1 + r)^−n), rounded to the cent; P / n at a zero rate.</summary>
    public static decimal AnnuityPayment(decimal principal, decimal periodicRate, int installments)
    {
        if (periodicRate == 0m) return Money.Round(principal / installments);
        var growth = 1m;
        for (var i = 0; i < installments; i++) growth *= 1m + periodicRate;
        return Money.Round(principal * periodicRate / (1m - 1m / growth));
    }

    public static decimal PeriodicRate(ProductTerms terms) => terms.Frequency switch
    {
        PaymentFrequency.Weekly => terms.AnnualRate * 7m / terms.YearBasis,
        PaymentFrequency.Biweekly => terms.AnnualRate * 14m / terms.YearBasis,
        _ => terms.AnnualRate / 12m,
    };

    /// <summary>
    /// Due dates counted from the disbursement date, each from the start (not chained), so a loan disbursed on
    /// 31 January falls due on 28 February and then 31 March.
    /// </summary>
    public static IReadOnlyList<DateOnly> DueDates(ProductTerms terms, DateOnly disbursedOn) =>
        Enumerable.Range(1, terms.Installments!.Value).Select(k => terms.Frequency switch
        {
            PaymentFrequency.Weekly => disbursedOn.AddDays(7 * k),
            PaymentFrequency.Biweekly => disbursedOn.AddDays(14 * k),
            _ => disbursedOn.AddMonths(k),
        }).ToList();

    private static IReadOnlyList<ScheduledInstallment> Bullet(ProductTerms terms, decimal principal, DateOnly disbursedOn)
    {
        var days = terms.TermDays!.Value;
        return [new ScheduledInstallment(1, disbursedOn.AddDays(days), principal,
            Money.Round(principal * terms.AnnualRate * days / terms.YearBasis))];
    }
}
