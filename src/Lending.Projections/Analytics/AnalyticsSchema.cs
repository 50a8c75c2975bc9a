using Marten;
using Weasel.Core;
using Weasel.Postgresql;
using Weasel.Postgresql.Tables;

namespace Lending.Projections.Analytics;

/// <summary>
/// The analytics tables, applied with the rest of the schema. Pre-aggregated so that a question costs a read of a few
/// hundred rows, whatever the size of the book.
/// </summary>
public sealed class AnalyticsSchema(string schema)
{
    /// <summary>Every (product, region, branch, bucket) that ever held a loan: the index into the history.</summary>
    public DbObjectName Cells { get; } = Table(schema, "analytics_portfolio_cells");

    /// <summary>
    /// Loans and balances per cell at the end of each business date on which the cell changed; a date without a row
    /// carries the previous row forward.
    /// </summary>
    public DbObjectName History { get; } = Table(schema, "analytics_delinquency_history");

    /// <summary>Where each loan stood at a month-end, written when its next event comes (roll rates).</summary>
    public DbObjectName MonthEnds { get; } = Table(schema, "analytics_loan_month_ends");

    /// <summary>Per assignee and business date: contacts, promises and amounts recovered.</summary>
    public DbObjectName Collectors { get; } = Table(schema, "analytics_collector_days");

    /// <summary>Per disbursement month and business date: loans disbursed and loans first reaching the vintage DPD.</summary>
    public DbObjectName Cohorts { get; } = Table(schema, "analytics_cohort_days");

    /// <summary>The <see cref="LoanAnalytics"/> documents (Marten's table for them).</summary>
    public DbObjectName LoanStates { get; } = Table(schema, "mt_doc_loananalytics");

    private static PostgresqlObjectName Table(string schema, string name) => new(schema, name, SchemaUtils.IdentifierUsage.General);

    public IEnumerable<ISchemaObject> Objects()
    {
        var cells = new Table(Cells);
        AddDimensions(cells);
        cells.AddColumn<string>("bucket").AsPrimaryKey();
        yield return cells;

        var history = new Table(History);
        AddDimensions(history);
        history.AddColumn<string>("bucket").AsPrimaryKey();
        history.AddColumn("business_date", "date").AsPrimaryKey();
        history.AddColumn<int>("loans").NotNull();
        history.AddColumn("principal_outstanding", "numeric").NotNull();
        history.AddColumn("total_outstanding", "numeric").NotNull();
        yield return history;

        var monthEnds = new Table(MonthEnds);
        monthEnds.AddColumn("month_end", "date").AsPrimaryKey();
        monthEnds.AddColumn<Guid>("loan_id").AsPrimaryKey();
        monthEnds.AddColumn<string>("product").NotNull();
        monthEnds.AddColumn<string>("region").NotNull();
        monthEnds.AddColumn<string>("branch").NotNull();
        monthEnds.AddColumn<string>("state").NotNull();
        monthEnds.AddColumn("principal_outstanding", "numeric").NotNull();
        monthEnds.AddColumn("total_outstanding", "numeric").NotNull();
        yield return monthEnds;

        var collectors = new Table(Collectors);
        collectors.AddColumn<string>("assignee").AsPrimaryKey();
        AddDimensions(collectors);
        collectors.AddColumn("business_date", "date").AsPrimaryKey();
        foreach (var column in new[] { "contacts", "right_party_contacts", "promises_made", "promises_kept", "promises_broken" })
            collectors.AddColumn<int>(column).NotNull();
        collectors.AddColumn("recovered", "numeric").NotNull();
        yield return collectors;

        var cohorts = new Table(Cohorts);
        cohorts.AddColumn("cohort", "date").AsPrimaryKey();
        AddDimensions(cohorts);
        cohorts.AddColumn("business_date", "date").AsPrimaryKey();
        cohorts.AddColumn<int>("disbursed").NotNull();
        cohorts.AddColumn<int>("reached").NotNull();
        yield return cohorts;

    }

    private static void AddDimensions(Table table)
    {
        table.AddColumn<string>("product").AsPrimaryKey();
        table.AddColumn<string>("region").AsPrimaryKey();
        table.AddColumn<string>("branch").AsPrimaryKey();
    }

    public IEnumerable<DbObjectName> Tables => [Cells, History, MonthEnds, Collectors, Cohorts];
}
