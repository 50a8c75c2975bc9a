using Lending.Domain.Loans;
using Lending.Domain.Loans.Disbursement;
using Lending.Domain.Products;

namespace Lending.Domain.Tests;

internal static class TestData
{
    public static readonly DateTimeOffset Now = new(2026, 1, 31, 9, 30, 0, TimeSpan.Zero);
    public static readonly DateOnly Today = new(2026, 1, 31);

    public static Product CashLoan(decimal rate = 0.12m, string currency = "CNY") => ProductDecisions.Define(
        new DefineProduct("CASH-12M", "Cash 12M", Amortization.Annuity, 12, PaymentFrequency.Monthly, null, rate,
            null, null, null, null, null, null, currency), Now, "admin-1");

    public static Borrower Borrower(string timeZone = "Asia/Shanghai") =>
        new("B-1", "Wang Fang", "+86-138-0000-0000", "wf@example.com", "110101199001011234", timeZone, "1 Road");

    public static DisburseLoan Disburse(Guid? id = null, decimal principal = 12_000m, string currency = "CNY",
        DateOnly? on = null, Borrower? borrower = null) =>
        new(id ?? Guid.Parse("0195d0c4-0000-7000-8000-000000000001"), "CASH-12M", principal, currency, on ?? Today,
            borrower ?? Borrower(), "East", "Shanghai-01");
}
