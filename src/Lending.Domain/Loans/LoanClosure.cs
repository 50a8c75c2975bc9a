namespace Lending.Domain.Loans;

public static class LoanClosure
{
    /// <summary>
    /// A payoff certificate (结清证明) is issued only for a loan paid off or settled; it is dated the day the loan closed.
    /// A written-off loan is closed in the books but still owed: no certificate.
    /// </summary>
    public static DateOnly CertificateDate(Loan loan) =>
        loan.Status is LoanStatus.PaidOff or LoanStatus.Settled && loan.ClosedOn is { } closedOn
            ? closedOn
            : throw new LendingRuleViolated("loan.not_closed",
                $"A payoff certificate is issued only for a paid-off or settled loan; this one is {loan.Status}.", RefusalKind.Conflict);
}
