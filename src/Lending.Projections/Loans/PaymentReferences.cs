using Weasel.Core;
using Weasel.Postgresql;
using Weasel.Postgresql.Tables;

namespace Lending.Projections.Loans;

/// <summary>
/// Every payment reference used on a loan, unique per loan: written with the <c>PaymentReceived</c> event that used it,
/// in the same transaction (<see cref="LoanProjection"/>), so two payments can never share one reference on a loan,
/// whichever path booked them and however retries race. A replay of a reference is answered from the event the row
/// names; the loan document keeps only the payment's allocation.
/// </summary>
public sealed class PaymentReferences(string schema, string eventSchema)
{
    public const string ConstraintName = "pk_payment_references";

    public DbObjectName Table { get; } = new PostgresqlObjectName(schema, "payment_references", SchemaUtils.IdentifierUsage.General);

    public IEnumerable<ISchemaObject> Objects()
    {
        var t = new Table(Table) { AddOnlyMigrations = true };
        t.AddColumn<Guid>("loan_id").AsPrimaryKey();
        t.AddColumn<string>("reference").AsPrimaryKey();
        t.AddColumn("amount", "numeric").NotNull();
        t.AddColumn<Guid>("event_id").NotNull();
        t.PrimaryKeyName = ConstraintName;
        yield return t;
    }

    /// <summary>A plain insert: a reference used twice on a loan fails the transaction that tried.</summary>
    public string Insert => $"insert into {Table} (loan_id, reference, amount, event_id) values (?, ?, ?, ?)";

    public string EventOf => $"select event_id from {Table} where loan_id = ? and reference = ?";

    /// <summary>
    /// Rows for payments booked before the table existed, from the event store, for events in a range of sequence
    /// numbers (the first use of a reference wins). Idempotent: a row already there is left as it is.
    /// </summary>
    public string Backfill => $"""
        insert into {Table} (loan_id, reference, amount, event_id)
        select distinct on (stream_id, data->>'reference') stream_id, data->>'reference', (data->>'amount')::numeric, id
        from {eventSchema}.mt_events
        where type = 'payment_received' and seq_id > ? and seq_id <= ?
        order by stream_id, data->>'reference', seq_id
        on conflict do nothing
        """;
}
