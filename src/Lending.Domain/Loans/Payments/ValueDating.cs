using Lending.Domain.Collections;
using Lending.Domain.Escalation;
using Lending.Domain.Loans.Delinquency;
using Lending.Domain.Restructuring;

namespace Lending.Domain.Loans.Payments;

/// <summary>How far back a payment's value date may lie (configuration: <c>Lending:Payments</c>).</summary>
/// <param name="MaxBackDays">The oldest value date accepted, in days before the business date.</param>
/// <param name="SupervisorBackDays">Beyond this many days a supervisor must record it (bank transfers post T+1..T+3).</param>
public sealed record PaymentPolicy(int MaxBackDays = 30, int SupervisorBackDays = 3)
{
    public static readonly PaymentPolicy Default = new();
}

/// <summary>
/// A payment whose value date (<c>paidOn</c>) is before the business date arrived that day. The loan is re-figured from
/// then as if it had been booked then, like Fineract's reprocessing of back-dated transactions, but nothing is rewritten:
/// the loan's timeline from the value date is replayed in memory (the money arrives on its value date, every later
/// payment on its own, each date's accruals decided again by close of business's own rules), and the difference from
/// what was booked becomes one <see cref="LedgerRefigured"/> event.
/// </summary>
public static class ValueDating
{
    public sealed record Outcome(IReadOnlyList<AllocationLine> Lines, decimal Overpayment, LedgerRefigured? Correction);

    /// <param name="history">The loan's events in stream order.</param>
    /// <param name="current">The loan those events make.</param>
    public static Outcome Refigure(IReadOnlyList<ILoanEvent> history, Loan current, string reference, decimal amount, DateOnly valueDate,
        DateOnly today)
    {
        // The disbursement's own events start the loan whenever they were booked (a loan may be booked after it was
        // disbursed); everything else booked after the value date is replayed.
        var opening = history.TakeWhile(e => e is LoanDisbursed or RepaymentScheduleSet).Count();
        var later = history.Skip(opening).Where(e => e.BusinessDate > valueDate).ToList();
        // Past a restructure or a write-off the loan's terms were decided on balances the payment would change: those
        // decisions are reversed by people, not re-figured by a machine.
        if (later.OfType<LoanRestructured>().FirstOrDefault() is { } restructured)
            throw new LendingRuleViolated("payment.value_date_before_restructure",
                $"The loan was restructured on {restructured.BusinessDate:yyyy-MM-dd}, after the value date {valueDate:yyyy-MM-dd}.",
                RefusalKind.Conflict);
        if (later.OfType<LoanWrittenOff>().FirstOrDefault() is { } writtenOff)
            throw new LendingRuleViolated("payment.value_date_before_write_off",
                $"The loan was written off on {writtenOff.BusinessDate:yyyy-MM-dd}, after the value date {valueDate:yyyy-MM-dd}.",
                RefusalKind.Conflict);
        if (later.OfType<PaymentReceived>().FirstOrDefault(p => p.PaidOn < valueDate) is { } earlier)
            throw new LendingRuleViolated("payment.value_date_before_later_payment",
                $"Payment '{earlier.Reference}', booked after {valueDate:yyyy-MM-dd}, has an earlier value date ({earlier.PaidOn:yyyy-MM-dd}).",
                RefusalKind.Conflict);

        var loan = history.Take(opening).Concat(history.Skip(opening).Where(e => e.BusinessDate <= valueDate))
            .Aggregate((Loan?)null, (l, e) => Loan.Evolve(l, e))!;
        var reallocations = new List<PaymentReallocation>();
        var corrected = history.OfType<LedgerRefigured>().SelectMany(r => r.PromisesKept).ToHashSet();
        var kept = new List<Guid>();

        void Replay(PaymentReceived p, DateOnly on)
        {
            var now = current.Payment(p.Reference)!;
            var again = Waterfall.Allocate(loan, p.Amount, on, p.BusinessDate > on ? p.BusinessDate : null);
            if (!again.Lines.SequenceEqual(now.Lines) || again.Overpayment != now.Overpayment)
                reallocations.Add(new PaymentReallocation(p.Reference, again.Lines, again.Overpayment));
            loan = Loan.Evolve(loan, p with { Lines = again.Lines, Overpayment = again.Overpayment });
        }

        // The value date: payments booked later with the same value date came first, then this one.
        foreach (var p in later.OfType<PaymentReceived>().Where(p => p.PaidOn == valueDate)) Replay(p, valueDate);
        var mine = Waterfall.Allocate(loan, amount, valueDate, today);
        loan = Loan.Evolve(loan, new PaymentReceived(loan.Id, reference, amount, valueDate, mine.Lines, mine.Overpayment, "", default, today,
            loan.Status == LoanStatus.WrittenOff));

        // Through the business date, or the loan's latest date if close of business for the next date already ran on it
        // (a payment booked while that run goes on): every date whose accruals were booked is decided again.
        var through = history.Select(e => e.BusinessDate).Append(today).Max();
        for (var day = valueDate.AddDays(1); day <= through; day = day.AddDays(1))
        {
            // Close of business for the day, by its own rules, on the loan as it would have stood.
            foreach (var accrual in LoanCloseOfBusiness.Accruals(loan, day)) loan = Loan.Evolve(loan, accrual);
            if (RestructuringDecisions.Breach(loan, day) is { } breach) loan = Loan.Evolve(loan, breach);
            foreach (var e in later.Where(e => e.BusinessDate == day))
            {
                switch (e)
                {
                    case InterestCharged or PenaltyAccrued or LateFeeCharged or LedgerRefigured or PlanBreached:
                        break; // decided again above, or a correction the replay makes anyway
                    case PaymentReceived p:
                        if (p.PaidOn == day) Replay(p, day); // else replayed on its own value date
                        break;
                    case PromiseBroken b when loan.Collections.OpenPromise is { } open && open.PromiseId == b.PromiseId
                                              && open.Paid >= open.Amount && !corrected.Contains(b.PromiseId):
                        // Covered in time by the value-dated money: the promise was kept.
                        kept.Add(b.PromiseId);
                        loan = Loan.Evolve(loan, new PromiseKept(loan.Id, b.PromiseId, open.Paid, day));
                        break;
                    default:
                        loan = Loan.Evolve(loan, e);
                        break;
                }
            }
            foreach (var p in later.OfType<PaymentReceived>().Where(p => p.PaidOn == day && p.BusinessDate > day)) Replay(p, day);
        }

        var adjustments = current.Installments.Select(i => (Booked: i, Refigured: loan.Installments.Single(r => r.Number == i.Number)))
            .Select(x => new LedgerAdjustment(x.Booked.Number, x.Refigured.Penalty - x.Booked.Penalty,
                x.Refigured.PenaltyCarry - x.Booked.PenaltyCarry, x.Refigured.Fees - x.Booked.Fees,
                x.Refigured.LateFeeCharged == x.Booked.LateFeeCharged ? null : x.Refigured.LateFeeCharged))
            .Where(a => a.Penalty != 0m || a.PenaltyCarry != 0m || a.Fees != 0m || a.LateFeeCharged is not null)
            .ToList();
        // A plan breach booked only because the money seemed late did not happen.
        var breachWithdrawn = current.Restructuring.EpisodeBreached && !loan.Restructuring.EpisodeBreached;
        var correction = adjustments.Count + reallocations.Count + kept.Count == 0 && !breachWithdrawn ? null
            : new LedgerRefigured(current.Id, reference, valueDate, adjustments, reallocations, kept, today, breachWithdrawn);
        return new Outcome(mine.Lines, mine.Overpayment, correction);
    }
}
