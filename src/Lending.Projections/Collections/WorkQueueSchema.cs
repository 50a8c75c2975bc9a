using Lending.Domain;
using Lending.Domain.Collections;
using Weasel.Core;
using Weasel.Postgresql;
using Weasel.Postgresql.Tables;

namespace Lending.Projections.Collections;

/// <summary>
/// The collectors' work queues: one narrow row per loan in a collector's queue (<see cref="WorkQueueEntry"/>), written
/// in the transaction of the events that change it (<see cref="Loans.LoanProjection"/>), re-scored for each new
/// business date with one statement, read in keyset pages by (priority desc, dpd desc, loan id).
/// </summary>
public sealed class WorkQueueSchema(string schema)
{
    public DbObjectName Table { get; } = new PostgresqlObjectName(schema, "work_queue", SchemaUtils.IdentifierUsage.General);

    public const string Columns =
        "loan_id, assignee_id, borrower_name, currency, bucket, dpd, dpd_running, total_outstanding, promise_due_on, broken_promises, last_contact_at, scored_on, priority";

    public IEnumerable<ISchemaObject> Objects()
    {
        var t = new Table(Table) { AddOnlyMigrations = true };
        t.AddColumn<Guid>("loan_id").AsPrimaryKey();
        t.AddColumn<string>("assignee_id").NotNull();
        t.AddColumn<string>("borrower_name").NotNull();
        t.AddColumn<string>("currency").NotNull();
        t.AddColumn<string>("bucket").NotNull();
        t.AddColumn<int>("dpd").NotNull();
        t.AddColumn<bool>("dpd_running").NotNull();
        t.AddColumn("total_outstanding", "numeric").NotNull();
        t.AddColumn("promise_due_on", "date");
        t.AddColumn<int>("broken_promises").NotNull();
        t.AddColumn("last_contact_at", "timestamptz");
        t.AddColumn("scored_on", "date").NotNull();
        t.AddColumn<int>("priority").NotNull();
        // Rows change with every event of a worked loan: room on the page for HOT updates.
        t.FillFactor = 80;
        t.Indexes.Add(new IndexDefinition("ix_work_queue_order")
        {
            Columns = ["assignee_id", "priority desc", "dpd desc", "loan_id"],
        });
        yield return t;
    }

    public string Upsert => $"""
        insert into {Table} ({Columns}) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        on conflict (loan_id) do update set {UpdateFromExcluded}
        """;

    /// <summary>The upsert's update: every column but the key from the row that conflicted.</summary>
    public const string UpdateFromExcluded = """
        assignee_id = excluded.assignee_id, borrower_name = excluded.borrower_name,
          currency = excluded.currency, bucket = excluded.bucket, dpd = excluded.dpd, dpd_running = excluded.dpd_running,
          total_outstanding = excluded.total_outstanding, promise_due_on = excluded.promise_due_on,
          broken_promises = excluded.broken_promises, last_contact_at = excluded.last_contact_at, scored_on = excluded.scored_on,
          priority = excluded.priority
        """;

    public static object[] Parameters(WorkQueueEntry e) =>
    [
        e.LoanId, e.AssigneeId, e.BorrowerName, e.Currency, Lending.Domain.Analytics.RollState.BucketName(e.Bucket), e.Dpd, e.DpdRunning, e.TotalOutstanding,
        (object?)e.PromiseDueOn ?? DBNull.Value, e.BrokenPromises, (object?)e.LastContactAt?.ToUniversalTime() ?? DBNull.Value, e.ScoredOn, e.Priority,
    ];

    public string Delete => $"delete from {Table} where loan_id = ?";

    /// <summary>
    /// Re-scores every row scored before the parameter date for that date, in one statement: the DPD of a loan past due
    /// and not paused grows by the days since, and the score's date-dependent parts (a promise due today, contact
    /// recency) are taken for the new date.
    /// </summary>
    public string Rescore(WorkQueueWeights weights)
    {
        const string dpd = "dpd + case when dpd_running then (?::date - scored_on) else 0 end";
        return $"""
            update {Table} set priority = {WorkQueue.PrioritySql(weights, dpd, "?::date")}, dpd = {dpd}, scored_on = ?::date
            where scored_on < ?::date
            """;
    }

    public static object[] RescoreParameters(DateOnly date) => [date, date, date, date, date, date];

}
