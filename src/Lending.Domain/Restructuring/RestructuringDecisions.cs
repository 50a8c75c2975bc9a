using Lending.Domain.Loans;
using Lending.Domain.Loans.Delinquency;
using Lending.Domain.Loans.Ledger;
using Lending.Domain.Loans.Schedules;
using Lending.Domain.Products;

namespace Lending.Domain.Restructuring;

/// <summary>
/// Restructuring (协商还款), maker–checker: proposed by one person, approved by a different supervisor. Approval writes the
/// new schedule; the loan keeps its <c>restructured</c> status for reporting.
/// </summary>
public static class RestructuringDecisions
{
    public const int MaxExtensionPeriods = 12;
    public const int MaxPlanInstallments = 60;

    public static RestructureRequested Request(Loan loan, RestructureTerms terms, string reason, IReadOnlyList<string> documents,
        string actor, Guid requestId, DateOnly date, DateTimeOffset now)
    {
        if (loan.IsClosed)
            throw new LendingRuleViolated("restructure.loan_closed", $"The loan is {loan.Status}.", RefusalKind.Conflict);
        if (loan.Restructuring.Pending is not null)
            throw new LendingRuleViolated("restructure.pending", "A restructure request is already waiting for approval.", RefusalKind.Conflict);
        switch (terms.Type)
        {
            case RestructureType.Extension when terms.Periods is not (>= 1 and <= MaxExtensionPeriods):
                throw new LendingRuleViolated("restructure.periods_out_of_range", $"An extension is 1 to {MaxExtensionPeriods} periods.");
            case RestructureType.InstallmentPlan when terms.Periods is not (>= 1 and <= MaxPlanInstallments):
                throw new LendingRuleViolated("restructure.periods_out_of_range", $"An instalment plan has 1 to {MaxPlanInstallments} instalments.");
            case RestructureType.PenaltyWaiver when terms.WaiveAmount is not > 0m || !Money.HasAtMostTwoDecimals(terms.WaiveAmount.Value):
                throw new LendingRuleViolated("restructure.waive_amount_invalid", "The amount to waive must be positive, in cents.");
            case RestructureType.RateReduction when terms.NewRate is not { } rate || rate < 0m || rate >= loan.Terms.AnnualRate:
                throw new LendingRuleViolated("restructure.new_rate_invalid", $"The new rate must be at least 0 and below the contract rate {loan.Terms.AnnualRate}.");
            case RestructureType.Settlement when terms.SettlementAmount is not { } amount || amount <= 0m || !Money.HasAtMostTwoDecimals(amount)
                                                 || amount >= LoanPosition.Of(loan, date).TotalOutstanding:
                throw new LendingRuleViolated("restructure.settlement_amount_invalid", "A settlement is a positive amount, in cents, below the total outstanding.");
        }
        return new RestructureRequested(loan.Id, requestId, terms, reason, documents, actor, now, date);
    }

    public static RestructureRejected Reject(Loan loan, string reason, string actor, DateOnly date, DateTimeOffset now) =>
        new(loan.Id, Pending(loan).RequestId, reason, actor, now, date);

    /// <returns>The restructure, and the reclassification it causes (arrears rescheduled are no longer past due).</returns>
    public static IReadOnlyList<ILoanEvent> Approve(Loan loan, string approver, DateOnly date, DateTimeOffset now, BucketPolicy buckets)
    {
        var pending = Pending(loan);
        if (pending.ProposedBy == approver)
            throw new LendingRuleViolated("restructure.same_person", "The proposer of a restructure cannot approve it.", RefusalKind.Forbidden);

        var open = loan.Installments.Where(i => !i.IsSettled).ToList();
        var next = loan.Installments.Count == 0 ? 1 : loan.Installments.Max(i => i.Number) + 1;
        var terms = pending.Terms;
        var restructured = terms.Type switch
        {
            RestructureType.Extension => new LoanRestructured(loan.Id, pending.RequestId, terms.Type, open.Select(i => i.Number).ToList(),
                open.Select((i, k) => new RestructuredInstallment(next + k, Shift(i.DueDate, terms.Periods!.Value, loan.Terms),
                    i.PrincipalDue, i.InterestDue, i.PenaltyDue, i.FeesDue)).ToList(), [], loan.Stage, approver, now, date),
            RestructureType.InstallmentPlan => Plan(loan, pending, open, next, date, approver, now),
            RestructureType.PenaltyWaiver => new LoanRestructured(loan.Id, pending.RequestId, terms.Type, [], [],
                Waive(loan, terms.WaiveAmount!.Value), loan.Stage, approver, now, date),
            RestructureType.RateReduction => RateReduction(loan, pending, next, date, approver, now),
            RestructureType.Settlement => new LoanRestructured(loan.Id, pending.RequestId, terms.Type, [], [], [], loan.Stage, approver, now,
                date, terms.SettlementAmount),
            _ => throw new LendingRuleViolated("restructure.type_not_supported", $"{terms.Type} restructures are not available."),
        };
        if (terms.Type == RestructureType.Settlement) return [restructured]; // the arrears stand until the settlement is paid

        var events = new List<ILoanEvent> { restructured };
        var after = Loan.Evolve(loan, restructured);
        var dpd = LoanPosition.DpdOf(after, date);
        var bucket = buckets.For(dpd);
        if (bucket != after.Bucket) events.Add(new DelinquencyBucketChanged(loan.Id, after.Bucket, bucket, dpd, "restructure", date));
        if (dpd == 0 && after.Stage != EscalationStage.None) events.Add(new Escalation.LoanCured(loan.Id, after.Stage, date));
        return events;
    }

    /// <summary>Unpaid principal re-amortized at the contract rate over N new instalments; unpaid billed interest, penalty and fees spread over them.</summary>
    private static LoanRestructured Plan(Loan loan, PendingRestructure pending, List<Installment> open, int next, DateOnly date,
        string approver, DateTimeOffset now)
    {
        var n = pending.Terms.Periods!.Value;
        var billed = LoanPosition.Billed(loan, date).Select(i => i.Number).ToHashSet();
        var dueDates = Enumerable.Range(1, n).Select(k => Shift(date, k, loan.Terms)).ToList();
        var amortized = RepaymentSchedule.Amortize(open.Sum(i => i.PrincipalDue), n, RepaymentSchedule.PeriodicRate(loan.Terms), dueDates,
            annuity: true, firstNumber: next);
        var interest = Spread(open.Where(i => billed.Contains(i.Number)).Sum(i => i.InterestDue), n);
        var penalty = Spread(open.Sum(i => i.PenaltyDue), n);
        var fees = Spread(open.Sum(i => i.FeesDue), n);
        return new LoanRestructured(loan.Id, pending.RequestId, RestructureType.InstallmentPlan, open.Select(i => i.Number).ToList(),
            amortized.Select((s, k) => new RestructuredInstallment(s.Number, s.DueDate, s.Principal, s.Interest + interest[k], penalty[k], fees[k])).ToList(),
            [], loan.Stage, approver, now, date);
    }

    /// <summary>Penalty first, oldest instalment first; then fees the same way.</summary>
    /// <summary>The instalments not yet due are re-amortized at the new rate on their own due dates; overdue ones stand.</summary>
    private static LoanRestructured RateReduction(Loan loan, PendingRestructure pending, int next, DateOnly date, string approver, DateTimeOffset now)
    {
        var future = loan.Installments.Where(i => !i.IsSettled && i.DueDate > date).ToList();
        var lowered = loan.Terms with { AnnualRate = pending.Terms.NewRate!.Value };
        var schedule = future.Count == 0 ? [] : RepaymentSchedule.Amortize(future.Sum(i => i.PrincipalDue), future.Count,
            RepaymentSchedule.PeriodicRate(lowered), future.Select(i => i.DueDate).ToList(),
            annuity: loan.Terms.Amortization != Amortization.EqualPrincipal, firstNumber: next);
        return new LoanRestructured(loan.Id, pending.RequestId, RestructureType.RateReduction, future.Select(i => i.Number).ToList(),
            schedule.Select((s, k) => new RestructuredInstallment(s.Number, s.DueDate, s.Principal, s.Interest, future[k].PenaltyDue,
                future[k].FeesDue)).ToList(), [], loan.Stage, approver, now, date);
    }

    /// <summary>After a payment: the agreed settlement is paid in full, so the loan closes with the rest forgiven.</summary>
    public static LoanSettled? SettledBy(Loan afterPayment, DateOnly paidOn, DateOnly date) =>
        afterPayment.Restructuring is { SettlementAmount: { } amount, SettlementPaid: var paid } && paid >= amount
            ? new LoanSettled(afterPayment.Id, paidOn, amount, afterPayment.Installments.Sum(i => i.TotalDue), date)
            : null;

    private static List<WaiverLine> Waive(Loan loan, decimal amount)
    {
        var penalty = new Dictionary<int, decimal>();
        var fees = new Dictionary<int, decimal>();
        foreach (var i in loan.Installments)
        {
            var take = Math.Min(amount, i.PenaltyDue);
            penalty[i.Number] = take;
            amount -= take;
        }
        foreach (var i in loan.Installments)
        {
            var take = Math.Min(amount, i.FeesDue);
            fees[i.Number] = take;
            amount -= take;
        }
        return loan.Installments.Where(i => penalty[i.Number] + fees[i.Number] > 0m)
            .Select(i => new WaiverLine(i.Number, penalty[i.Number], fees[i.Number])).ToList();
    }

    /// <summary>Equal parts to the cent, the last absorbing the rounding.</summary>
    public static decimal[] Spread(decimal amount, int parts)
    {
        var part = Money.Round(amount / parts);
        var result = Enumerable.Repeat(part, parts).ToArray();
        result[^1] = amount - part * (parts - 1);
        return result;
    }

    public static DateOnly Shift(DateOnly date, int periods, ProductTerms terms) => terms.Frequency switch
    {
        PaymentFrequency.Weekly => date.AddDays(7 * periods),
        PaymentFrequency.Biweekly => date.AddDays(14 * periods),
        _ => date.AddMonths(periods),
    };

    /// <summary>At close of business: a restructured instalment past grace unpaid breaches the plan (once).</summary>
    public static PlanBreached? Breach(Loan loan, DateOnly date)
    {
        var r = loan.Restructuring;
        if (!r.Restructured || r.PlanBreached || r.FirstRestructuredInstallment == 0) return null;
        var late = loan.Installments.FirstOrDefault(i => i.Number >= r.FirstRestructuredInstallment && i.DueDate < date && i.ContractualDue > 0m
            && LoanPosition.DaysPastDue(loan, i, date) > loan.Terms.GraceDays);
        return late is null ? null : new PlanBreached(loan.Id, late.Number, LoanPosition.DaysPastDue(loan, late, date), date);
    }

    private static PendingRestructure Pending(Loan loan) => loan.Restructuring.Pending
        ?? throw new LendingRuleViolated("restructure.no_request", "There is no restructure request waiting for approval.", RefusalKind.Conflict);
}
