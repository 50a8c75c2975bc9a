namespace Lending.Domain.Loans.Delinquency;

public static class PauseDecisions
{
    public static DelinquencyPaused Pause(Loan loan, string reason, DateOnly businessDate, string actor, DateTimeOffset now)
    {
        if (loan.IsClosed) throw new LendingRuleViolated("pause.loan_closed", $"The loan is {loan.Status}.", RefusalKind.Conflict);
        if (loan.IsPaused) throw new LendingRuleViolated("pause.already_paused", "The delinquency clock is already paused.", RefusalKind.Conflict);
        return new DelinquencyPaused(loan.Id, reason, actor, now, businessDate);
    }

    public static DelinquencyResumed Resume(Loan loan, DateOnly businessDate, string actor, DateTimeOffset now, string? note = null)
    {
        if (!loan.IsPaused) throw new LendingRuleViolated("pause.not_paused", "The delinquency clock is not paused.", RefusalKind.Conflict);
        return new DelinquencyResumed(loan.Id, actor, now, businessDate, string.IsNullOrWhiteSpace(note) ? null : note.Trim());
    }
}
