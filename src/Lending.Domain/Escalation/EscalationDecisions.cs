using Lending.Domain.Loans;
using Lending.Domain.Loans.Delinquency;

namespace Lending.Domain.Escalation;

public static class EscalationDecisions
{
    /// <summary>
    /// Moves the loan up to the highest stage whose condition holds on <paramref name="date"/>, one event per stage
    /// passed (each stage's action happens, in order), or off the ladder when nothing is past due. Returns nothing
    /// when the stage is already right, so it is safe to run any number of times.
    /// </summary>
    public static IReadOnlyList<ILoanEvent> Decide(Loan loan, DateOnly date, EscalationLadder ladder)
    {
        if (loan.IsClosed) return [];
        var dpd = LoanPosition.DpdOf(loan, date);
        if (dpd == 0)
            return loan.Stage == EscalationStage.None ? []
                : [new LoanCured(loan.Id, loan.Stage, date), .. Withdrawal(loan, "cured", date)];

        var events = new List<ILoanEvent>();
        var current = loan.Stage;
        foreach (var stage in ladder.Stages.Where(s => s.Stage > loan.Stage).OrderBy(s => s.Stage))
        {
            // A stage is entered when its own condition holds, or when a later stage's does (stages are never skipped).
            var reason = ladder.Stages.Where(s => s.Stage >= stage.Stage).Select(s => Reason(s, loan, dpd, ladder)).FirstOrDefault(r => r is not null);
            if (reason is null) break;
            events.Add(new LoanEscalated(loan.Id, current, stage.Stage, stage.Action, reason, dpd, ladder.BrokenPromisesOf(loan), date));
            current = stage.Stage;
        }
        return events;
    }

    /// <summary>A pending write-off proposal is withdrawn when the loan is cured, paid off or settled.</summary>
    public static IEnumerable<ILoanEvent> Withdrawal(Loan loan, string reason, DateOnly date) =>
        WriteOffDecisions.Withdrawn(loan, reason, date) is { } withdrawn ? [withdrawn] : [];

    private static string? Reason(LadderStage stage, Loan loan, int dpd, EscalationLadder ladder) =>
        stage.MinDpd is { } min && dpd >= min ? $"dpd {dpd} >= {min}"
        : stage.AfterGrace && dpd > loan.Terms.GraceDays ? $"dpd {dpd} past {loan.Terms.GraceDays} grace days"
        : stage.MinBrokenPromises is { } promises && ladder.BrokenPromisesOf(loan) >= promises ? $"{ladder.BrokenPromisesOf(loan)} broken promises"
        : stage.OnPlanBreach && ladder.PlanBreachedOf(loan) ? "plan breach after a restructure"
        // DOMAIN.md: a breach escalates at once to the stage the loan was at when restructured, or higher.
        : ladder.PlanBreachedOf(loan) && stage.Stage <= loan.Restructuring.StageAtRestructure ? "plan breach: back to the stage at restructure"
        : null;
}
