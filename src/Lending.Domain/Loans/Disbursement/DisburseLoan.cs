using Lending.Domain.Loans.Schedules;
using Lending.Domain.Products;

namespace Lending.Domain.Loans.Disbursement;

/// <summary>Disburse a new loan under a product.</summary>
public sealed record DisburseLoan(
    Guid LoanId,
    string ProductCode,
    decimal Principal,
    string Currency,
    DateOnly DisbursedOn,
    Borrower Borrower,
    string? Region,
    string? Branch);

public static class DisbursementDecisions
{
    /// <summary>Upper bound on how far back a disbursement may be booked, against back-dating errors.</summary>
    public const int MaxBackdatedDays = 366;

    /// <param name="existing">The loan already under this id, if any.</param>
    /// <param name="product">The product named by the command, if it exists.</param>
    /// <param name="businessDate">Today's business date: a loan cannot be disbursed in the future.</param>
    /// <returns>The disbursement and the repayment schedule it starts with.</returns>
    public static IReadOnlyList<ILoanEvent> Decide(
        DisburseLoan cmd, Loan? existing, Product? product, DateOnly businessDate, string actor, DateTimeOffset now)
    {
        if (existing is not null)
            throw new LendingRuleViolated("loan.already_exists", $"Loan {cmd.LoanId} already exists.", RefusalKind.Conflict);
        if (product is null)
            throw new LendingRuleViolated("loan.unknown_product", $"There is no product '{cmd.ProductCode}'.");
        if (cmd.Principal <= 0)
            throw new LendingRuleViolated("loan.principal_not_positive", "The principal must be greater than zero.");
        if (decimal.Round(cmd.Principal, 2) != cmd.Principal)
            throw new LendingRuleViolated("loan.principal_precision", "The principal has at most 2 decimals.");
        if (!string.Equals(cmd.Currency, product.Terms.Currency, StringComparison.OrdinalIgnoreCase))
            throw new LendingRuleViolated("loan.currency_mismatch",
                $"Product '{product.Code}' lends in {product.Terms.Currency}, not {cmd.Currency}.");
        if (cmd.DisbursedOn > businessDate)
            throw new LendingRuleViolated("loan.disbursed_in_future",
                $"The disbursement date {cmd.DisbursedOn:yyyy-MM-dd} is after the business date {businessDate:yyyy-MM-dd}.");
        if (cmd.DisbursedOn < businessDate.AddDays(-MaxBackdatedDays))
            throw new LendingRuleViolated("loan.disbursed_too_early",
                $"The disbursement date may be at most {MaxBackdatedDays} days before the business date.");
        if (!TimeZoneExists(cmd.Borrower.TimeZone))
            throw new LendingRuleViolated("loan.unknown_time_zone", $"'{cmd.Borrower.TimeZone}' is not a known time zone.");

        var disbursed = new LoanDisbursed(cmd.LoanId, product.Code, product.Terms, cmd.Borrower, cmd.Principal,
            product.Terms.Currency, cmd.DisbursedOn, cmd.Region, cmd.Branch, actor, now, businessDate);
        var schedule = new RepaymentScheduleSet(cmd.LoanId,
            RepaymentSchedule.Generate(product.Terms, cmd.Principal, cmd.DisbursedOn), "disbursement", businessDate);
        return [disbursed, schedule];
    }

    private static bool TimeZoneExists(string id) => TimeZoneInfo.TryFindSystemTimeZoneById(id, out _);
}
