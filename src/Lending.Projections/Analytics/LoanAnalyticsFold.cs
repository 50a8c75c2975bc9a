using Lending.Domain.Analytics;
using Lending.Domain.Collections;
using Lending.Domain.Loans;
using Lending.Domain.Loans.Delinquency;

namespace Lending.Projections.Analytics;

/// <summary>
/// Folds one loan event into the loan's analytics state and records what it changes in the portfolio figures, on the
/// event's business date. Exact because what a loan owes and its bucket change only through its events (interest
/// included, see <see cref="InterestCharged"/>): between two events its exposure stands still.
/// </summary>
public static class LoanAnalyticsFold
{
    /// <param name="asOfBefore">For an event booked on an earlier business date after events of a later one: the loan as of
    /// a date, from the events before this one (as <c>?asOf=</c> folds them), so those dates can be restated.</param>
    public static LoanAnalytics Apply(LoanAnalytics? analytics, ILoanEvent e, AnalyticsChanges changes,
        Func<DateOnly, Loan?>? asOfBefore = null)
    {
        if (analytics is null)
        {
            if (e is not LoanDisbursed disbursed) throw new InvalidOperationException($"Loan {e.LoanId} starts with {e.GetType().Name}");
            var loan = Loan.Evolve(null, disbursed);
            analytics = new LoanAnalytics
            {
                Id = loan.Id, Loan = LoanAnalytics.ForFigures(loan), LastDate = e.BusinessDate, Product = loan.ProductCode, Region = loan.Region ?? "",
                Branch = loan.Branch ?? "", Cohort = new DateOnly(loan.DisbursedOn.Year, loan.DisbursedOn.Month, 1),
            };
            changes.AddCohort(analytics.Cohort, analytics.Dimensions(), e.BusinessDate, disbursed: 1, reached: 0);
            Count(analytics, loan, e.BusinessDate, changes);
            return analytics;
        }

        // An event booked on an earlier date after a later one (a payment accepted while the next date's close of
        // business ran) counts on its own date and each date up to the later one as ?asOf= shows them; from the later
        // date on, the loan's current state counts as usual.
        var date = e.BusinessDate > analytics.LastDate ? e.BusinessDate : analytics.LastDate;
        var creditDate = date;
        if (e.BusinessDate < analytics.LastDate && asOfBefore is not null)
        {
            Restate(analytics, e, asOfBefore, changes);
            creditDate = e.BusinessDate;
        }
        var before = analytics.Loan;
        RecordMonthEnds(analytics, date, changes);
        if (analytics.ReachedThresholdOn is null && date > analytics.LastDate.AddDays(1)
            && FirstDayAtThreshold(before, analytics.LastDate.AddDays(1), date.AddDays(-1)) is { } reachedBetween)
            Reached(analytics, reachedBetween, changes);

        var after = Loan.Evolve(before, e);
        Credit(analytics, before, e, creditDate, changes);
        Count(analytics, after, date, changes);
        analytics.Loan = LoanAnalytics.ForFigures(after);
        analytics.LastDate = date;
        return analytics;
    }

    /// <summary>
    /// Each date from the event's own up to the loan's last one: what the loan counted then (without the event) is
    /// replaced by what it counts with it, for that date only (undone the next day); month-end positions likewise.
    /// </summary>
    private static void Restate(LoanAnalytics analytics, ILoanEvent e, Func<DateOnly, Loan?> asOfBefore, AnalyticsChanges changes)
    {
        for (var day = e.BusinessDate; day < analytics.LastDate; day = day.AddDays(1))
        {
            if (asOfBefore(day) is not { } without) continue;
            var with = Loan.Evolve(without, e);
            var (was, now) = (LoanExposure.Of(without, day), LoanExposure.Of(with, day));
            if (was != now)
            {
                if (was is not null) { changes.Add(was.Cell, day, Delta(was, -1)); changes.Add(was.Cell, day.AddDays(1), Delta(was, 1)); }
                if (now is not null) { changes.Add(now.Cell, day, Delta(now, 1)); changes.Add(now.Cell, day.AddDays(1), Delta(now, -1)); }
            }
            if (day == RollRateMatrix.MonthEnd(day))
                changes.MonthEnds.Add(new MonthEndPosition(analytics.Id, day, analytics.Dimensions(), RollState.Of(with),
                    now?.PrincipalOutstanding ?? 0m, now?.TotalOutstanding ?? 0m));
        }
    }

    private static ExposureDelta Delta(LoanExposure x, int sign) => new(sign, sign * x.PrincipalOutstanding, sign * x.TotalOutstanding);

    /// <summary>Moves the loan's exposure from where it counted to where it counts now, on <paramref name="date"/>.</summary>
    private static void Count(LoanAnalytics analytics, Loan loan, DateOnly date, AnalyticsChanges changes)
    {
        var was = analytics.State == "" ? null : analytics.CountedExposure();
        var now = LoanExposure.Of(loan, date);
        if (was != now)
        {
            if (was is not null) changes.Add(was.Cell, date, new ExposureDelta(-1, -was.PrincipalOutstanding, -was.TotalOutstanding));
            if (now is not null) changes.Add(now.Cell, date, new ExposureDelta(1, now.PrincipalOutstanding, now.TotalOutstanding));
        }
        analytics.State = RollState.Of(loan);
        (analytics.PrincipalOutstanding, analytics.TotalOutstanding) = (now?.PrincipalOutstanding ?? 0m, now?.TotalOutstanding ?? 0m);
        if (analytics.ReachedThresholdOn is null && !loan.IsClosed && LoanPosition.DpdOf(loan, date) >= Vintages.Threshold)
            Reached(analytics, date, changes);
    }

    private static void Reached(LoanAnalytics analytics, DateOnly on, AnalyticsChanges changes)
    {
        analytics.ReachedThresholdOn = on;
        changes.AddCohort(analytics.Cohort, analytics.Dimensions(), on, disbursed: 0, reached: 1);
    }

    /// <summary>Where the loan stood at each month-end it passed without an event, for the roll-rate matrix.</summary>
    private static void RecordMonthEnds(LoanAnalytics analytics, DateOnly date, AnalyticsChanges changes)
    {
        for (var end = RollRateMatrix.MonthEnd(analytics.LastDate); end < date; end = RollRateMatrix.MonthEnd(end.AddDays(1)))
            changes.MonthEnds.Add(new MonthEndPosition(analytics.Id, end, analytics.Dimensions(), analytics.State,
                analytics.PrincipalOutstanding, analytics.TotalOutstanding));
    }

    /// <summary>
    /// The first day in [from, through] on which a loan in this (unchanging) state was at the vintage threshold;
    /// DPD only grows while nothing happens, so a binary search finds it.
    /// </summary>
    private static DateOnly? FirstDayAtThreshold(Loan loan, DateOnly from, DateOnly through)
    {
        if (loan.IsClosed || LoanPosition.DpdOf(loan, through) < Vintages.Threshold) return null;
        var (lo, hi) = (from.DayNumber, through.DayNumber);
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
            if (LoanPosition.DpdOf(loan, DateOnly.FromDayNumber(mid)) >= Vintages.Threshold) hi = mid; else lo = mid + 1;
        }
        return DateOnly.FromDayNumber(lo);
    }

    /// <summary>Contacts and promises to the agent who made them; payments to whoever had the loan assigned.</summary>
    private static void Credit(LoanAnalytics analytics, Loan before, ILoanEvent e, DateOnly date, AnalyticsChanges changes)
    {
        var dimensions = analytics.Dimensions();
        switch (e)
        {
            case ContactRecorded c:
                changes.Add(c.Agent, dimensions, date, new CollectorDelta(1, CollectorPerformance.IsRightPartyContact(c) ? 1 : 0, 0, 0, 0, 0m));
                break;
            case PromiseToPayMade p:
                analytics.PromiseAgents[p.PromiseId] = p.Agent;
                changes.Add(p.Agent, dimensions, date, new CollectorDelta(0, 0, 1, 0, 0, 0m));
                break;
            case PromiseKept k when analytics.PromiseAgents.Remove(k.PromiseId, out var agent):
                changes.Add(agent, dimensions, date, new CollectorDelta(0, 0, 0, 1, 0, 0m));
                break;
            case PromiseBroken b when analytics.PromiseAgents.Remove(b.PromiseId, out var agent):
                analytics.BrokenPromiseAgents[b.PromiseId] = agent;
                changes.Add(agent, dimensions, date, new CollectorDelta(0, 0, 0, 0, 1, 0m));
                break;
            case LedgerRefigured r:
                foreach (var kept in r.PromisesKept)
                    if (analytics.BrokenPromiseAgents.Remove(kept, out var keptBy))
                        changes.Add(keptBy, dimensions, date, new CollectorDelta(0, 0, 0, 1, -1, 0m));
                break;
            case PromiseSuperseded s:
                analytics.PromiseAgents.Remove(s.PromiseId);
                break;
            case PaymentReceived p when before.AssignedTo is { } assignee:
                changes.Add(assignee, dimensions, date, new CollectorDelta(0, 0, 0, 0, 0, p.Amount - p.Overpayment));
                break;
        }
    }
}
