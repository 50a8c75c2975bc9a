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
        if (loan.IsClosed || date <= loan.DisbursedOn) return [];
        var events = new List<ILoanEvent>();

        // Periods that have begun: their interest is owed from today, as an event rather than by the calendar alone.
        events.AddRange(LoanPosition.Billed(loan, date)
            .Where(i => i.Number > loan.InterestChargedThrough && i.InterestDue > 0m)
            .Select(i => new InterestCharged(loan.Id, i.Number, i.InterestDue, i.DueDate, date)));
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

        // Grace: DPD counts from day 1, but nothing accrues while DPD ≤ grace days; nothing accrues while paused.
        var paused = loan.Pauses.Any(p => p.Covers(date));
        if (dpd <= loan.Terms.GraceDays || paused) return events;

        var pastGrace = loan.Installments
            .Where(i => i.DueDate < date && i.ContractualDue > 0m && LoanPosition.DaysPastDue(loan, i, date) > loan.Terms.GraceDays)
            .ToList();

        if (loan.PenaltyAccruedThrough is null || loan.PenaltyAccruedThrough < date)
        {
            var lines = pastGrace
                .Select(i => new PenaltyLine(i.Number, i.PrincipalDue, DailyPenalty(loan, i)))
                .Where(l => l.Amount > 0m)
                .ToList();
            if (lines.Count > 0)
                events.Add(new PenaltyAccrued(loan.Id, loan.Terms.PenaltyRate, loan.Terms.YearBasis, lines, date));
        }

        if (loan.Terms.LateFee > 0m)
            events.AddRange(pastGrace.Where(i => !i.LateFeeCharged)
                .Select(i => new LateFeeCharged(loan.Id, i.Number, loan.Terms.LateFee, date)));

        return events;
    }

    /// <summary>One day of penalty interest on the instalment's overdue principal, rounded to the cent.</summary>
    public static decimal DailyPenalty(Loan loan, Installment installment) =>
        Money.Round(installment.PrincipalDue * loan.Terms.PenaltyRate / loan.Terms.YearBasis);
}
