using Weasel.Core;
using Weasel.Postgresql;
using Weasel.Postgresql.Tables;

namespace Lending.Projections.Evidence;

/// <summary>
/// The sealed log's tables. Add-only migrations: a column or index is never dropped by a schema change, and nothing in
/// the service updates or deletes a row (triggers refuse it, see <see cref="GuardSql"/>).
/// </summary>
public sealed class EvidenceLogSchema(string schema, string eventSchema)
{
    /// <summary>One row per event, by log position (0, 1, 2, ... with no gaps, unlike the store's sequence).</summary>
    public DbObjectName Leaves { get; } = Table(schema, "evidence_leaves");

    /// <summary>Perfect subtrees of level 1 and up: (level, index) covers positions [index·2^level, (index+1)·2^level).</summary>
    public DbObjectName Nodes { get; } = Table(schema, "evidence_nodes");

    /// <summary>Signed tree heads: (tree size, root), the CMS signature and, where a TSA is configured, its RFC 3161 token.</summary>
    public DbObjectName Checkpoints { get; } = Table(schema, "evidence_checkpoints");

    public string Events { get; } = $"{eventSchema}.mt_events";

    /// <summary>
    /// An event row as the log hashes it, one JSON text per row (sequence, stream, version, type, the timestamp in UTC to the
    /// microsecond, the stored data as text): the sealing and every later reading use this one expression, so they agree.
    /// </summary>
    public const string EventRowJson = """
        json_build_object('seq', e.seq_id, 'streamId', e.stream_id, 'version', e.version, 'type', e.type,
          'timestamp', to_char(e.timestamp at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), 'data', e.data::text)::text
        """;

    private static PostgresqlObjectName Table(string schema, string name) => new(schema, name, SchemaUtils.IdentifierUsage.General);

    public IEnumerable<ISchemaObject> Objects()
    {
        var leaves = new Table(Leaves) { AddOnlyMigrations = true };
        leaves.AddColumn<long>("position").AsPrimaryKey();
        leaves.AddColumn<long>("seq_id").NotNull();
        leaves.AddColumn<Guid>("stream_id").NotNull();
        leaves.AddColumn<long>("version").NotNull();
        leaves.AddColumn("leaf", "bytea").NotNull();
        leaves.AddColumn("leaf_json", "text").NotNull();
        leaves.Indexes.Add(new IndexDefinition("ix_evidence_leaves_seq") { Columns = ["seq_id"], IsUnique = true });
        leaves.Indexes.Add(new IndexDefinition("ix_evidence_leaves_stream") { Columns = ["stream_id", "version"], IsUnique = true });
        yield return leaves;

        var nodes = new Table(Nodes) { AddOnlyMigrations = true };
        nodes.AddColumn<short>("level").AsPrimaryKey();
        nodes.AddColumn<long>("idx").AsPrimaryKey();
        nodes.AddColumn("hash", "bytea").NotNull();
        yield return nodes;

        var checkpoints = new Table(Checkpoints) { AddOnlyMigrations = true };
        checkpoints.AddColumn<long>("tree_size").AsPrimaryKey();
        checkpoints.AddColumn("root", "bytea").NotNull();
        checkpoints.AddColumn("sealed_at", "timestamptz").NotNull();
        checkpoints.AddColumn("statement", "text").NotNull();
        checkpoints.AddColumn("signature", "bytea").NotNull();
        checkpoints.AddColumn("certificate", "text").NotNull();
        checkpoints.AddColumn("timestamp_token", "bytea");
        yield return checkpoints;
    }

    /// <summary>
    /// Sealed means sealed: the database refuses to update or delete a sealed row, refuses to change any event (sealed or
    /// not yet: an event is never rewritten, and a tombstone changed in a transaction the log reads past would become an
    /// event behind its back), and refuses to delete an event at or below the last sequence the log has sealed
    /// (archiving a stream, a flag, stays possible). Idempotent.
    /// </summary>
    public string GuardSql() => $"""
        create or replace function {Leaves.Schema}.evidence_refuse_change() returns trigger language plpgsql as $$
        begin
          raise exception 'evidence: % on %.% refused: sealed rows are never changed or deleted', tg_op, tg_table_schema, tg_table_name
            using errcode = 'P0001';
        end $$;
        create or replace function {Leaves.Schema}.evidence_refuse_sealed_event_change() returns trigger language plpgsql as $$
        begin
          if tg_op = 'UPDATE' then
            raise exception 'evidence: update of event % refused: events are never rewritten', old.seq_id using errcode = 'P0001';
          end if;
          -- Every row up to the last sealed one, not only those with a leaf (a tombstone the log passed over).
          if old.seq_id <= coalesce((select max(l.seq_id) from {Leaves} l), 0) then
            raise exception 'evidence: % of sealed event % refused', tg_op, old.seq_id using errcode = 'P0001';
          end if;
          return old;
        end $$;
        drop trigger if exists evidence_sealed on {Leaves};
        create trigger evidence_sealed before update or delete on {Leaves} for each row execute function {Leaves.Schema}.evidence_refuse_change();
        drop trigger if exists evidence_sealed on {Nodes};
        create trigger evidence_sealed before update or delete on {Nodes} for each row execute function {Leaves.Schema}.evidence_refuse_change();
        drop trigger if exists evidence_sealed on {Checkpoints};
        create trigger evidence_sealed before update or delete on {Checkpoints} for each row execute function {Leaves.Schema}.evidence_refuse_change();
        drop trigger if exists evidence_sealed on {Events};
        create trigger evidence_sealed before delete or update of data, type, seq_id, stream_id, version, timestamp on {Events}
          for each row execute function {Leaves.Schema}.evidence_refuse_sealed_event_change();
        """;
}
