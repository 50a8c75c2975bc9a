using Lending.Domain.Collections;
using Lending.Domain.Escalation;
using Lending.Domain.Loans.Ledger;

namespace Lending.Domain.Loans.Delinquency;

/// <summary>
/// What close of business does to one loan on one business date: charge the interest of periods that began, reclassify (DPD and bucket), accrue a day's penalty
/// interest and charge late fees past grace. A pure function of the loan and the date that returns nothing the
/// second time, so running a date twice, or a redelivered message, never doubles an accrual.
/// </summary>
public static class LoanCloseOfBusiness
{
    public static IReadOnlyList<ILoanEvent> Decide(Loan loan, DateOnly date, BucketPolicy buckets, EscalationLadder ladder)
    {
        var events = Classify(loan, date, buckets);
        var classified = events.Aggregate(loan, (l, e) => Loan.Evolve(l, e));
        if (Restructuring.RestructuringDecisions.Breach(classified, date) is { } breach)
        {
            events.Add(breach);
            classified = Loan.Evolve(classified, breach);
        }
        // The ladder moves on what this day's classification produced (DPD, broken promises, a plan breach).
        return [.. events, .. EscalationDecisions.Decide(classified, date, ladder)];
    }

    private static List<ILoanEvent> Classify(Loan loan, DateOnly date, BucketPolicy buckets)
    {
        // Written off: nothing accrues, but a promise taken since is kept or broken like any other.
        if (loan.Status == LoanStatus.WrittenOff)
            return CollectionsDecisions.PromiseOutcome(loan, date) is { } outcome ? [outcome] : [];
        if (loan.IsClosed || date <= loan.DisbursedOn) return [];
        var events = new List<ILoanEvent>(InterestCharges(loan, date));
        loan = events.Aggregate(loan, (l, e) => Loan.Evolve(l, e));

        // A promise whose date has passed is settled one way or the other, before anything else happens.
        if (CollectionsDecisions.PromiseOutcome(loan, date) is { } promise)
        {
            events.Add(promise);
            loan = Loan.Evolve(loan, promise);
        }

        var dpd = LoanPosition.DpdOf(loan, date);
        var bucket = buckets.For(dpd);
        if (bucket != loan.Bucket)
            events.Add(new DelinquencyBucketChanged(loan.Id, loan.Bucket, bucket, dpd, "close_of_business", date));

        events.AddRange(PenaltyAndFees(loan, date));
        return events;
    }

    /// <summary>
    /// What the ledger accrues on <paramref name="date"/>: interest of periods that begin, penalty and late fees past
    /// grace. The money side of close of business, also used to re-figure a loan from a payment's value date.
    /// </summary>
    public static IReadOnlyList<ILoanEvent> Accruals(Loan loan, DateOnly date)
    {
        if (loan.IsClosed || date <= loan.DisbursedOn) return [];
        var charges = InterestCharges(loan, date);
        return [.. charges, .. PenaltyAndFees(charges.Aggregate(loan, (l, e) => Loan.Evolve(l, e)), date)];
    }

    /// <summary>
    /// Periods that have begun: their interest is owed from today, as an event rather than by the calendar alone.
    /// Interest a restructure carried onto an instalment was owed already: only its own period's interest is new.
    /// </summary>
    private static List<ILoanEvent> InterestCharges(Loan loan, DateOnly date) =>
        LoanPosition.Billed(loan, date)
            .Where(i => i.Number > loan.InterestChargedThrough && i.InterestDue - i.CarriedInterestDue > 0m)
            .Select(i => (ILoanEvent)new InterestCharged(loan.Id, i.Number, i.InterestDue - i.CarriedInterestDue, i.DueDate, date))
            .ToList();

    private static List<ILoanEvent> PenaltyAndFees(Loan loan, DateOnly date)
    {
        // Grace: DPD counts from day 1, but nothing accrues while DPD ≤ grace days; nothing accrues while paused.
        var events = new List<ILoanEvent>();
        var dpd = LoanPosition.DpdOf(loan, date);
        if (dpd <= loan.Terms.GraceDays || loan.Pauses.Any(p => p.Covers(date))) return events;

        var pastGrace = loan.Schedule
            .Where(i => i.DueDate < date && i.ContractualDue > 0m && LoanPosition.DaysPastDue(loan, i, date) > loan.Terms.GraceDays)
            .ToList();

        if (loan.PenaltyAccruedThrough is null || loan.PenaltyAccruedThrough < date)
        {
            var lines = pastGrace.Select(i => PenaltyOfDay(loan, i)).Where(l => l.Accrued > 0m).ToList();
            if (lines.Count > 0)
            {
                var penalty = new PenaltyAccrued(loan.Id, loan.Terms.PenaltyRate, loan.Terms.YearBasis, lines, date);
                events.Add(penalty);
                loan = Loan.Evolve(loan, penalty); // the late fee's room under the cap counts today's penalty
            }
        }

        if (loan.Terms.LateFee > 0m)
            foreach (var i in pastGrace.Where(i => !i.LateFeeCharged))
            {
                var fee = BorrowingCost.LateFee(loan, date);
                events.Add(new LateFeeCharged(loan.Id, i.Number, fee, date, loan.Terms.LateFee - fee));
                loan = Loan.Evolve(loan, events[^1]);
            }

        return events;
    }

    /// <summary>
    /// One day of penalty interest on the instalment's overdue principal, at full precision; the cents it completes
    /// (with the sub-cent remainder carried from earlier days) are booked, never rounded up. Over any span the booked
    /// penalty is the exact amount × rate × days / basis less under a cent, so contract rate + penalty rate stays
    /// within the cap on any balance.
    /// </summary>
    public static PenaltyLine PenaltyOfDay(Loan loan, Installment installment)
    {
        // Kept in units of 1 / basis, where principal × rate is exact: one division, so the cents booked never drift.
        var units = installment.PenaltyCarry + installment.PrincipalDue * loan.Terms.PenaltyRate;
        var booked = Money.Cents(units / loan.Terms.YearBasis);
        return new PenaltyLine(installment.Number, installment.PrincipalDue, booked,
            installment.PrincipalDue * loan.Terms.PenaltyRate / loan.Terms.YearBasis);
    }
}
