using Lending.Domain.Analytics;
using Lending.Domain.Loans;

namespace Lending.Projections.Analytics;

/// <summary>
/// One loan as the analytics projection last saw it: the loan's own state as the figures need it (to price it on any
/// date, <see cref="ForFigures"/>), where it counts in the portfolio now, and what it has contributed to the cohort and
/// collector figures. The flat columns are duplicated into the table: month-end queries read them for loans with no
/// event since.
/// </summary>
public sealed class LoanAnalytics
{
    public Guid Id { get; set; }
    /// <summary>The loan as <see cref="ForFigures"/> keeps it.</summary>
    public Loan Loan { get; set; } = null!;
    /// <summary>Business date of the last event projected (the running maximum, as <c>?asOf=</c> reads a stream).</summary>
    public DateOnly LastDate { get; set; }
    public string Product { get; set; } = "";
    public string Region { get; set; } = "";
    public string Branch { get; set; } = "";
    /// <summary>A bucket while open, or how the loan closed (<see cref="RollState"/>).</summary>
    public string State { get; set; } = "";
    public decimal PrincipalOutstanding { get; set; }
    public decimal TotalOutstanding { get; set; }
    /// <summary>First day of the disbursement month.</summary>
    public DateOnly Cohort { get; set; }
    /// <summary>The first business date on which the loan was <see cref="Vintages.Threshold"/> or more days past due.</summary>
    public DateOnly? ReachedThresholdOn { get; set; }
    /// <summary>Who made each open promise, to credit its outcome.</summary>
    public Dictionary<Guid, string> PromiseAgents { get; set; } = [];
    /// <summary>Who took each broken promise: a value-dated payment may later show it was kept.</summary>
    public Dictionary<Guid, string> BrokenPromiseAgents { get; set; } = [];

    /// <summary>Where the loan counts in the portfolio now; null once closed.</summary>
    public LoanExposure? CountedExposure() => RollState.IsClosed(State)
        ? null
        : new LoanExposure(new PortfolioCell(Product, Region, Branch, Loan.Bucket), PrincipalOutstanding, TotalOutstanding);

    public Dimensions Dimensions() => new(Product, Region, Branch);

    /// <summary>
    /// The loan as the figures need it: ledger, terms, status, bucket, pauses, restructuring, assignment and open promise.
    /// Who the borrower is and the conversation with them (contacts, the service's notices, the actions done and held)
    /// are left out: no figure reads them, only decisions do (<see cref="Loan.Evolve"/> never reads them, so folding on
    /// without them changes nothing else); the analytics tables have no business keeping a borrower's name, phone,
    /// national id or address; and the contact history grows with every call, which would make the row every page of the
    /// daemon rewrites grow with it.
    /// </summary>
    public static Loan ForFigures(Loan loan) => IsForFigures(loan) ? loan : loan with
    {
        Borrower = Anonymous with { TimeZone = loan.Borrower.TimeZone },
        Collections = loan.Collections with { Contacts = [], Notices = null },
        CompletedActions = [],
        HeldNotices = null,
    };

    private static readonly Borrower Anonymous = new("", "", null, null, null, "UTC", null);

    /// <summary>Most events add nothing of what <see cref="ForFigures"/> leaves out: the fold then keeps the loan as it is.</summary>
    private static bool IsForFigures(Loan loan) =>
        loan.Borrower is { Id: "", Name: "", Phone: null, Email: null, NationalId: null, Address: null }
        && loan.Collections is { Contacts.Count: 0, Notices: null } && loan.CompletedActions.Count == 0 && loan.HeldNotices is null;
}
