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
    /// <summary>A collector proposes for a loan in their queue; a supervisor for any.</summary>
    public static RestructureRequested Request(Loan loan, RestructureTerms terms, string reason, IReadOnlyList<string> documents,
        Collections.CollectionsActor actor, Guid requestId, DateOnly date, DateTimeOffset now, LendingPolicy? limits = null)
    {
        Collections.CollectionsDecisions.EnsureActsOn(loan, actor);
        return Request(loan, terms, reason, documents, actor.Id, requestId, date, now, limits);
    }

    /// <param name="limits">Longest extension and plan (<see cref="LendingPolicy"/>; its defaults when null).</param>
    public static RestructureRequested Request(Loan loan, RestructureTerms terms, string reason, IReadOnlyList<string> documents,
        string actor, Guid requestId, DateOnly date, DateTimeOffset now, LendingPolicy? limits = null)
    {
        limits ??= LendingPolicy.Default;
        if (loan.IsClosed)
            throw new LendingRuleViolated("restructure.loan_closed", $"The loan is {loan.Status}.", RefusalKind.Conflict);
        if (loan.Restructuring.Pending is not null)
            throw new LendingRuleViolated("restructure.pending", "A restructure request is already waiting for approval.", RefusalKind.Conflict);
        switch (terms.Type)
        {
            case RestructureType.Extension when terms.Periods is not { } n || n < 1 || n > limits.MaxExtensionPeriods:
                throw new LendingRuleViolated("restructure.periods_out_of_range", $"An extension is 1 to {limits.MaxExtensionPeriods} periods.");
            case RestructureType.InstallmentPlan when terms.Periods is not { } n || n < 1 || n > limits.MaxPlanInstallments:
                throw new LendingRuleViolated("restructure.periods_out_of_range", $"An instalment plan has 1 to {limits.MaxPlanInstallments} instalments.");
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

    public static RestructureRejected Reject(Loan loan, string reason, string actor, DateOnly date, DateTimeOffset now, Guid? requestId = null) =>
        new(loan.Id, Pending(loan, requestId).RequestId, reason, actor, now, date);

    /// <param name="requestId">The request the checker decides on: it must be the one waiting.</param>
    /// <param name="note">The checker's reasons, kept with the restructure.</param>
    /// <returns>The restructure, and the reclassification it causes (arrears rescheduled are no longer past due).</returns>
    public static IReadOnlyList<ILoanEvent> Approve(Loan loan, string approver, DateOnly date, DateTimeOffset now, BucketPolicy buckets,
        Guid? requestId = null, string? note = null)
    {
        var pending = Pending(loan, requestId);
        if (pending.ProposedBy == approver)
            throw new LendingRuleViolated("restructure.same_person", "The proposer of a restructure cannot approve it.", RefusalKind.Forbidden);
        // Paid off, settled or written off since the request: there is nothing left to restructure.
        if (loan.IsClosed)
            throw new LendingRuleViolated("restructure.loan_closed", $"The loan is {loan.Status} since the request.", RefusalKind.Conflict);

        var open = loan.Schedule.Where(i => !i.IsSettled).ToList();
        var next = loan.Installments.Count == 0 ? 1 : loan.Installments.Max(i => i.Number) + 1;
        var terms = pending.Terms;
        var restructured = terms.Type switch
        {
            RestructureType.Extension => Extension(loan, pending, open, next, date, approver, now),
            RestructureType.InstallmentPlan => Plan(loan, pending, open, next, date, approver, now),
            RestructureType.PenaltyWaiver => new LoanRestructured(loan.Id, pending.RequestId, terms.Type, [], [],
                Waive(loan, terms.WaiveAmount!.Value), loan.Stage, approver, now, date),
            RestructureType.RateReduction => RateReduction(loan, pending, next, date, approver, now),
            RestructureType.Settlement => new LoanRestructured(loan.Id, pending.RequestId, terms.Type, [], [], [], loan.Stage, approver, now,
                date, terms.SettlementAmount),
            _ => throw new LendingRuleViolated("restructure.type_not_supported", $"{terms.Type} restructures are not available."),
        };
        if (!string.IsNullOrWhiteSpace(note)) restructured = restructured with { Note = note.Trim() };
        if (terms.Type == RestructureType.Settlement) return [restructured]; // the arrears stand until the settlement is paid

        var events = new List<ILoanEvent> { restructured };
        var after = Loan.Evolve(loan, restructured);
        var dpd = LoanPosition.DpdOf(after, date);
        var bucket = buckets.For(dpd);
        if (bucket != after.Bucket) events.Add(new DelinquencyBucketChanged(loan.Id, after.Bucket, bucket, dpd, "restructure", date));
        if (dpd == 0 && after.Stage != EscalationStage.None) events.Add(new Escalation.LoanCured(loan.Id, after.Stage, date));
        if (dpd == 0) events.AddRange(Escalation.EscalationDecisions.Withdrawal(after, "restructured", date));
        return events;
    }

    /// <summary>
    /// Every open instalment moves N periods later with what it still owes (interest owed on the approval date is
    /// carried, so the payoff amount does not change). Whatever would still fall due on or before the approval date
    /// joins the first instalment due after it (or one due N periods after approval): the loan is current on approval.
    /// </summary>
    private static LoanRestructured Extension(Loan loan, PendingRestructure pending, List<Installment> open, int next, DateOnly date,
        string approver, DateTimeOffset now)
    {
        var n = pending.Terms.Periods!.Value;
        var moved = open.Select(i => new RestructuredInstallment(0, Shift(i.DueDate, n, loan.Terms), i.PrincipalDue, i.InterestDue,
            i.PenaltyDue, i.FeesDue, Max(date, Shift(i.PeriodStart, n, loan.Terms)), i.InterestOwedOn(date))).ToList();
        var late = moved.Where(m => m.DueDate <= date).ToList();
        var onTime = moved.Where(m => m.DueDate > date).ToList();
        if (late.Count > 0)
        {
            var target = onTime.Count > 0 ? onTime[0] : new RestructuredInstallment(0, Shift(date, n, loan.Terms), 0m, 0m, 0m, 0m, date, 0m);
            var merged = late.Aggregate(target, (t, m) => t with
            {
                Principal = t.Principal + m.Principal, Interest = t.Interest + m.Interest, Penalty = t.Penalty + m.Penalty,
                Fees = t.Fees + m.Fees, InterestCarried = t.InterestCarried + m.InterestCarried,
            });
            onTime = [merged, .. onTime.Skip(onTime.Count > 0 ? 1 : 0)];
        }
        return new LoanRestructured(loan.Id, pending.RequestId, RestructureType.Extension, open.Select(i => i.Number).ToList(),
            onTime.Select((m, k) => m with { Number = next + k }).ToList(), [], loan.Stage, approver, now, date);
    }

    /// <summary>
    /// Unpaid principal re-amortized at the contract rate over N new instalments, the first period starting on the
    /// approval date; interest owed on that date, penalty and fees spread over them (owed all along, see
    /// <see cref="RestructuredInstallment.InterestCarried"/>). The running period's interest is cut to the days up to
    /// approval (<see cref="EarnedBy"/>): the plan charges the days after it, so each day's interest is charged once.
    /// </summary>
    private static LoanRestructured Plan(Loan loan, PendingRestructure pending, List<Installment> open, int next, DateOnly date,
        string approver, DateTimeOffset now)
    {
        var n = pending.Terms.Periods!.Value;
        var dueDates = Enumerable.Range(1, n).Select(k => Shift(date, k, loan.Terms)).ToList();
        var amortized = RepaymentSchedule.Amortize(open.Sum(i => i.PrincipalDue), n, RepaymentSchedule.PeriodicRate(loan.Terms), dueDates,
            annuity: true, firstNumber: next);
        var (owed, released) = InterestOwedAt(open, date);
        var interest = Spread(Math.Max(0m, owed), n);
        var penalty = Spread(open.Sum(i => i.PenaltyDue), n);
        var fees = Spread(open.Sum(i => i.FeesDue), n);
        // Running-period interest already paid beyond the days elapsed is credited against the first new period.
        var credit = Math.Max(0m, -owed);
        return new LoanRestructured(loan.Id, pending.RequestId, RestructureType.InstallmentPlan, open.Select(i => i.Number).ToList(),
            amortized.Select((s, k) => new RestructuredInstallment(s.Number, s.DueDate, s.Principal,
                s.Interest - (k == 0 ? Math.Min(credit, s.Interest) : 0m) + interest[k], penalty[k], fees[k],
                k == 0 ? date : dueDates[k - 1], interest[k])).ToList(),
            [], loan.Stage, approver, now, date, InterestReleased: released);
    }

    /// <summary>
    /// The instalments not yet due are re-amortized at the new rate on their own due dates, from the approval date: the
    /// running period keeps the old rate for the days up to approval. Overdue instalments stand.
    /// </summary>
    private static LoanRestructured RateReduction(Loan loan, PendingRestructure pending, int next, DateOnly date, string approver, DateTimeOffset now)
    {
        var future = loan.Schedule.Where(i => !i.IsSettled && i.DueDate > date).ToList();
        var lowered = loan.Terms with { AnnualRate = pending.Terms.NewRate!.Value };
        var schedule = future.Count == 0 ? [] : RepaymentSchedule.Amortize(future.Sum(i => i.PrincipalDue), future.Count,
            RepaymentSchedule.PeriodicRate(lowered), future.Select(i => i.DueDate).ToList(),
            annuity: loan.Terms.Amortization != Amortization.EqualPrincipal, firstNumber: next);
        // Interest an earlier restructure carried onto these instalments stays owed on their successors.
        var result = schedule.Select((s, k) => new RestructuredInstallment(s.Number, s.DueDate, s.Principal,
            s.Interest + future[k].CarriedInterestDue, future[k].PenaltyDue, future[k].FeesDue, future[k].PeriodStart,
            future[k].CarriedInterestDue)).ToList();
        var released = 0m;
        if (result.Count > 0 && future[0].IsBilledOn(date))
        {
            // The running period: old-rate interest earned up to approval (with what was carried onto it) is owed, the new
            // rate runs for the rest.
            var first = future[0];
            var (owed, running) = InterestOwedAt([first], date);
            released = running;
            var newRatePart = Money.Round(schedule[0].Interest * (first.DueDate.DayNumber - date.DayNumber)
                / (first.DueDate.DayNumber - first.PeriodStart.DayNumber));
            result[0] = result[0] with
            {
                Interest = Math.Max(0m, owed + newRatePart), InterestCarried = Math.Max(0m, owed), PeriodStart = date,
            };
        }
        return new LoanRestructured(loan.Id, pending.RequestId, RestructureType.RateReduction, future.Select(i => i.Number).ToList(),
            result, [], loan.Stage, approver, now, date, InterestReleased: released);
    }

    /// <summary>
    /// Interest the open instalments owe on <paramref name="date"/>, with the running period's cut to the days elapsed
    /// (negative when more was paid on it than those days earned), and the running period's interest released.
    /// </summary>
    private static (decimal Owed, decimal Released) InterestOwedAt(IEnumerable<Installment> open, DateOnly date)
    {
        decimal owed = 0m, released = 0m;
        foreach (var i in open)
        {
            if (i.DueDate > date && i.IsBilledOn(date))
            {
                var earned = EarnedBy(i, date);
                owed += earned - i.InterestPaid;
                released += i.InterestDue - Math.Max(0m, earned - i.InterestPaid);
            }
            else owed += i.InterestOwedOn(date);
        }
        return (owed, released);
    }

    /// <summary>The running period's interest for the days from its start through <paramref name="date"/>, to the cent.</summary>
    public static decimal EarnedBy(Installment running, DateOnly date)
    {
        var own = running.Interest - running.InterestWaived - running.InterestCarried;
        var days = running.DueDate.DayNumber - running.PeriodStart.DayNumber;
        return running.InterestCarried + Money.Round(own * (date.DayNumber - running.PeriodStart.DayNumber) / days);
    }

    private static DateOnly Max(DateOnly a, DateOnly b) => a > b ? a : b;

    /// <summary>After a payment: the agreed settlement is paid in full, so the loan closes with the rest forgiven.</summary>
    public static LoanSettled? SettledBy(Loan afterPayment, DateOnly paidOn, DateOnly date) =>
        afterPayment.Restructuring is { SettlementAmount: { } amount, SettlementPaid: var paid } && paid >= amount
            ? new LoanSettled(afterPayment.Id, paidOn, amount, LoanPosition.Of(afterPayment, paidOn).TotalOutstanding, date)
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

    /// <summary>At close of business: a restructured instalment past grace unpaid breaches the plan (once an episode).</summary>
    public static PlanBreached? Breach(Loan loan, DateOnly date)
    {
        var r = loan.Restructuring;
        if (loan.IsClosed || !r.Restructured || r.EpisodeBreached || r.FirstRestructuredInstallment == 0) return null;
        var late = loan.Schedule.FirstOrDefault(i => i.Number >= r.FirstRestructuredInstallment && i.DueDate < date && i.ContractualDue > 0m
            && LoanPosition.DaysPastDue(loan, i, date) > loan.Terms.GraceDays);
        return late is null ? null : new PlanBreached(loan.Id, late.Number, LoanPosition.DaysPastDue(loan, late, date), date);
    }

    /// <summary>The request waiting for a decision; when <paramref name="requestId"/> is given, it must be that one.</summary>
    private static PendingRestructure Pending(Loan loan, Guid? requestId = null) =>
        loan.Restructuring.Pending is { } pending && (requestId is null || pending.RequestId == requestId)
            ? pending
            : throw new LendingRuleViolated("restructure.no_request",
                requestId is null ? "There is no restructure request waiting for approval."
                    : $"Request {requestId} is not waiting for a decision on this loan.", RefusalKind.Conflict);
}
