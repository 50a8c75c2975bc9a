using Lending.Api.BusinessDates;
using Lending.Api.Setup;
using Lending.Domain;
using Lending.Domain.Loans;
using Marten;

namespace Lending.Api.Loans;

/// <summary>Reads a loan now (the inline document) or as of a past business date (folded from its events).</summary>
public static class LoanReads
{
    public static async Task<(Loan Loan, DateOnly Date)> LoadAsync(IQuerySession session, BusinessCalendarStore calendars,
        Guid loanId, DateOnly? asOf, CancellationToken ct)
    {
        if (asOf is null)
        {
            // The loan and today's date in one round trip.
            var batch = session.CreateBatchQuery();
            var current = batch.Load<Loan>(loanId);
            var businessDay = batch.QueryByPlan(calendars.Today);
            await batch.Execute(ct);
            return (await current ?? throw NotFound(loanId), (await businessDay).Date);
        }

        var today = await calendars.TodayAsync(session, ct);

        if (asOf > today)
            throw new LendingRuleViolated("as_of.in_future", $"asOf {asOf:yyyy-MM-dd} is after the business date {today:yyyy-MM-dd}.");

        var events = await session.Events.FetchStreamAsync(loanId, token: ct);
        if (events.Count == 0) throw NotFound(loanId);
        // Every event booked for the date or before, even one written after an event of a later date.
        var known = events.Where(e => e.Data is ILoanEvent le && le.BusinessDate <= asOf).ToList();
        var loan = Loan.AsOf(known.Select(e => e.Data), asOf.Value)
            ?? throw new LendingRuleViolated("loan.not_yet_booked", $"Loan {loanId} was booked after {asOf:yyyy-MM-dd}.", RefusalKind.NotFound);
        loan.Version = known[^1].Version;
        return (loan, asOf.Value);
    }

    public static LendingRuleViolated NotFound(Guid loanId) => new("loan.not_found", $"There is no loan {loanId}.", RefusalKind.NotFound);
}
