namespace Lending.Domain;

public static class Money
{
    /// <summary>To the cent, half away from zero: the one rounding rule of DOMAIN.md.</summary>
    public static decimal Round(decimal amount) => Math.Round(amount, 2, MidpointRounding.AwayFromZero);

    /// <summary>The whole cents in <paramref name="amount"/> (towards zero): what an accrual has earned so far.</summary>
    public static decimal Cents(decimal amount) => Math.Round(amount, 2, MidpointRounding.ToZero);

    public static bool HasAtMostTwoDecimals(decimal amount) => Round(amount) == amount;
}
