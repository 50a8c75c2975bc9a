using Lending.Domain.Analytics;

namespace Lending.Projections.Analytics;

/// <summary>Per-date additions to one portfolio cell: loans, principal and total outstanding.</summary>
public readonly record struct ExposureDelta(int Loans, decimal Principal, decimal Total)
{
    public static ExposureDelta operator +(ExposureDelta a, ExposureDelta b) => new(a.Loans + b.Loans, a.Principal + b.Principal, a.Total + b.Total);
    public bool IsZero => Loans == 0 && Principal == 0m && Total == 0m;
}

public readonly record struct CollectorDelta(int Contacts, int RightPartyContacts, int PromisesMade, int PromisesKept, int PromisesBroken, decimal Recovered)
{
    public static CollectorDelta operator +(CollectorDelta a, CollectorDelta b) => new(a.Contacts + b.Contacts,
        a.RightPartyContacts + b.RightPartyContacts, a.PromisesMade + b.PromisesMade, a.PromisesKept + b.PromisesKept,
        a.PromisesBroken + b.PromisesBroken, a.Recovered + b.Recovered);
}

public readonly record struct Dimensions(string Product, string Region, string Branch);

public sealed record MonthEndPosition(Guid LoanId, DateOnly MonthEnd, Dimensions Dimensions, string State, decimal PrincipalOutstanding, decimal TotalOutstanding);

/// <summary>
/// Everything one page of events changes in the analytics tables, summed in memory so that a page costs a
/// statement per touched (cell, date), not one per event.
/// </summary>
public sealed class AnalyticsChanges
{
    public Dictionary<(PortfolioCell Cell, DateOnly Date), ExposureDelta> Exposure { get; } = [];
    public Dictionary<(string Assignee, Dimensions Dimensions, DateOnly Date), CollectorDelta> Collectors { get; } = [];
    public Dictionary<(DateOnly Cohort, Dimensions Dimensions, DateOnly Date), (int Disbursed, int Reached)> Cohorts { get; } = [];
    public List<MonthEndPosition> MonthEnds { get; } = [];

    public void Add(PortfolioCell cell, DateOnly date, ExposureDelta delta) =>
        Exposure[(cell, date)] = Exposure.GetValueOrDefault((cell, date)) + delta;

    public void Add(string assignee, Dimensions dimensions, DateOnly date, CollectorDelta delta) =>
        Collectors[(assignee, dimensions, date)] = Collectors.GetValueOrDefault((assignee, dimensions, date)) + delta;

    /// <summary>Adds another stretch's changes (of other loans, or of later events): the sums are the same in any order.</summary>
    public void Add(AnalyticsChanges other)
    {
        foreach (var (key, delta) in other.Exposure) Add(key.Cell, key.Date, delta);
        foreach (var (key, delta) in other.Collectors) Add(key.Assignee, key.Dimensions, key.Date, delta);
        foreach (var (key, (disbursed, reached)) in other.Cohorts) AddCohort(key.Cohort, key.Dimensions, key.Date, disbursed, reached);
        MonthEnds.AddRange(other.MonthEnds);
    }

    public void AddCohort(DateOnly cohort, Dimensions dimensions, DateOnly date, int disbursed, int reached)
    {
        var (d, r) = Cohorts.GetValueOrDefault((cohort, dimensions, date));
        Cohorts[(cohort, dimensions, date)] = (d + disbursed, r + reached);
    }
}
