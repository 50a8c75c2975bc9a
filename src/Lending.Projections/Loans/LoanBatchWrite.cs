using System.Data.Common;
using Lending.Domain;
using Lending.Domain.Collections;
using Lending.Domain.Loans;
using Lending.Projections.Collections;
using Marten.Internal;
using Marten.Internal.Operations;
using Npgsql;
using NpgsqlTypes;
using JasperFx.Events;
using Marten.Exceptions;
using JasperFx.Core.Exceptions;
using Weasel.Core;
using OperationRole = Weasel.Core.OperationRole;
using Weasel.Postgresql;
using Weasel.Postgresql.Functions;

namespace Lending.Projections.Loans;

/// <summary>
/// One loan's share of a batch: the loan as its stream stands (its <see cref="Loan.Version"/> is the version the append
/// expects; null for a loan whose stream these events start), the events decided on it, and the loan they make
/// (<see cref="Loan.Evolve"/> over them, as the inline <see cref="LoanProjection"/> would fold them).
/// </summary>
public sealed record LoanWrite(Loan? Before, IReadOnlyList<ILoanEvent> Events, Loan After)
{
    public Guid LoanId => After.Id;
}

/// <summary>
/// Writes a whole batch of loans in a few statements inside a Marten session's transaction: every stream's append
/// version-checked in one call of <see cref="AppendToLoanStreams"/> (a stream moved since it was read fails the
/// transaction with MT003, as Marten's own quick append does; a new stream whose id is taken fails it on the streams'
/// key), then each loan's document, its work-queue row and its payment references set-based. It writes exactly what
/// Marten's append and the inline <see cref="LoanProjection"/> write for the same events (the same fold, the same
/// serializer, the same work-queue rule), one statement per table instead of one or two per loan. Used by close of
/// business and the portfolio generator, whose batches touch thousands of loans at once.
/// </summary>
/// <param name="dueDateColumn">The loan document's duplicated close-of-business date column.</param>
public sealed class LoanBatchWrite(IReadOnlyList<LoanWrite> writes, string schema, string eventSchema, string dueDateColumn, WorkQueueWeights weights)
    : Marten.Internal.Operations.IStorageOperation, IExceptionTransform
{
    /// <summary>The loans this operation writes.</summary>
    public IReadOnlyList<LoanWrite> Writes => writes;

    /// <summary>
    /// Raises what Marten's own quick append raises for the same failures: a stream that moved is a
    /// <see cref="EventStreamUnexpectedMaxEventIdException"/> (a concurrency conflict, retried or answered 409 like any
    /// other), an archived one an <see cref="InvalidStreamOperationException"/>.
    /// </summary>
    public bool TryTransform(Exception original, out Exception transformed)
    {
        var pg = original as PostgresException ?? original.InnerException as PostgresException;
        var stream = pg?.MessageText.Split('\'') is [_, var quoted, ..] && Guid.TryParse(quoted, out var id) ? id : Guid.Empty;
        transformed = pg?.SqlState switch
        {
            AppendToLoanStreams.StreamMoved => new EventStreamUnexpectedMaxEventIdException(stream, typeof(Loan), -1, -1),
            AppendToLoanStreams.StreamArchived => new InvalidStreamOperationException(pg.MessageText),
            _ => original,
        };
        return transformed != original;
    }

    public void ConfigureCommand(Weasel.Postgresql.ICommandBuilder builder, Weasel.Storage.IStorageSession session)
    {
        var marten = (IMartenSession)session;
        var serializer = marten.Serializer;
        var events = (Marten.Events.EventGraph)marten.Options.Events;
        var now = marten.Options.Events.TimeProvider.GetUtcNow();
        var queue = new WorkQueueSchema(schema);

        var streamIds = new Guid[writes.Count];
        var expected = new long[writes.Count];
        var versions = new long[writes.Count];
        var documents = new string[writes.Count];
        var dueDates = new DateOnly?[writes.Count];
        var eventCount = writes.Sum(w => w.Events.Count);
        var (eventStreams, eventVersions, eventIds) = (new Guid[eventCount], new long[eventCount], new Guid[eventCount]);
        var (eventTypes, dotnetTypes, bodies, timestamps) = (new string[eventCount], new string[eventCount], new string[eventCount], new DateTimeOffset[eventCount]);
        var queued = new List<WorkQueueEntry>();
        var leaving = new List<Guid>();
        var payments = new List<(Guid Loan, string Reference, decimal Amount, Guid Event)>();

        // One append per stream: the version check counts the streams it moved.
        if (writes.Select(w => w.LoanId).Distinct().Count() != writes.Count)
            throw new ArgumentException("A loan appears twice in one batch.", nameof(writes));
        var e = 0;
        for (var i = 0; i < writes.Count; i++)
        {
            var (before, appended, after) = writes[i];
            var from = before?.Version ?? 0;
            if (appended.Count == 0) throw new ArgumentException($"Loan {after.Id} has no events to append.", nameof(writes));
            if (before is not null && before.Id != after.Id) throw new ArgumentException("A write's loans must be one loan.", nameof(writes));
            streamIds[i] = after.Id;
            expected[i] = from;
            versions[i] = from + appended.Count;
            // A copy carries the new version: the caller's loans stay as they were (a retried save writes them again).
            documents[i] = serializer.ToJson(after with { Version = versions[i] });
            dueDates[i] = after.CloseOfBusinessDueDate;
            var first = e;
            foreach (var data in appended)
            {
                var mapped = events.EventMappingFor(data.GetType());
                (eventStreams[e], eventVersions[e], eventIds[e]) = (after.Id, from + 1 + (e - first), Guid.CreateVersion7(now));
                (eventTypes[e], dotnetTypes[e], bodies[e], timestamps[e]) = (mapped.EventTypeName, mapped.DotNetTypeName, serializer.ToJson(data), now);
                if (data is PaymentReceived p) payments.Add((p.LoanId, p.Reference, p.Amount, eventIds[e]));
                e++;
            }
            if (WorkQueue.Entry(after, weights) is { } entry) queued.Add(entry);
            else if (LoanProjection.LeavesQueue(appended)) leaving.Add(after.Id);
        }

        builder.Append($"select {eventSchema}.{AppendToLoanStreams.Name}(");
        Parameter(builder, streamIds, NpgsqlDbType.Uuid); builder.Append(", ");
        Parameter(builder, expected, NpgsqlDbType.Bigint); builder.Append(", ");
        Parameter(builder, versions, NpgsqlDbType.Bigint); builder.Append(", ");
        Parameter(builder, eventStreams, NpgsqlDbType.Uuid); builder.Append(", ");
        Parameter(builder, eventVersions, NpgsqlDbType.Bigint); builder.Append(", ");
        Parameter(builder, eventIds, NpgsqlDbType.Uuid); builder.Append(", ");
        Parameter(builder, eventTypes, NpgsqlDbType.Varchar); builder.Append(", ");
        Parameter(builder, dotnetTypes, NpgsqlDbType.Varchar); builder.Append(", ");
        Parameter(builder, bodies, NpgsqlDbType.Jsonb); builder.Append(", ");
        Parameter(builder, timestamps, NpgsqlDbType.TimestampTz); builder.Append(", ");
        Scalar(builder, marten.CausationId); builder.Append(", ");
        Scalar(builder, marten.CorrelationId); builder.Append(", ");
        Scalar(builder, events.AggregateAliasFor(typeof(Loan)));
        builder.Append(")");

        builder.StartNewCommand();
        var cob = dueDateColumn;
        builder.Append($"""
            insert into {schema}.mt_doc_loan (id, data, mt_version, mt_dotnet_type, mt_last_modified, {cob})
            select d.id, d.data, d.version, 
            """);
        Scalar(builder, typeof(Loan).FullName!);
        builder.Append(", transaction_timestamp(), d.due from unnest(");
        Parameter(builder, streamIds, NpgsqlDbType.Uuid); builder.Append(", ");
        Parameter(builder, documents, NpgsqlDbType.Jsonb); builder.Append(", ");
        Parameter(builder, versions, NpgsqlDbType.Bigint); builder.Append(", ");
        Parameter(builder, dueDates, NpgsqlDbType.Date);
        builder.Append($"""
            ) as d(id, data, version, due)
            on conflict (id) do update set data = excluded.data, mt_version = excluded.mt_version,
              mt_dotnet_type = excluded.mt_dotnet_type, mt_last_modified = excluded.mt_last_modified, {cob} = excluded.{cob}
            """);

        if (queued.Count > 0)
        {
            builder.StartNewCommand();
            builder.Append($"insert into {queue.Table} ({WorkQueueSchema.Columns}) select * from unnest(");
            Parameter(builder, queued.Select(q => q.LoanId).ToArray(), NpgsqlDbType.Uuid); builder.Append(", ");
            Parameter(builder, queued.Select(q => q.AssigneeId).ToArray(), NpgsqlDbType.Varchar); builder.Append(", ");
            Parameter(builder, queued.Select(q => q.BorrowerName).ToArray(), NpgsqlDbType.Varchar); builder.Append(", ");
            Parameter(builder, queued.Select(q => q.Currency).ToArray(), NpgsqlDbType.Varchar); builder.Append(", ");
            Parameter(builder, queued.Select(q => Lending.Domain.Analytics.RollState.BucketName(q.Bucket)).ToArray(), NpgsqlDbType.Varchar); builder.Append(", ");
            Parameter(builder, queued.Select(q => q.Dpd).ToArray(), NpgsqlDbType.Integer); builder.Append(", ");
            Parameter(builder, queued.Select(q => q.DpdRunning).ToArray(), NpgsqlDbType.Boolean); builder.Append(", ");
            Parameter(builder, queued.Select(q => q.TotalOutstanding).ToArray(), NpgsqlDbType.Numeric); builder.Append(", ");
            Parameter(builder, queued.Select(q => q.PromiseDueOn).ToArray(), NpgsqlDbType.Date); builder.Append(", ");
            Parameter(builder, queued.Select(q => q.BrokenPromises).ToArray(), NpgsqlDbType.Integer); builder.Append(", ");
            Parameter(builder, queued.Select(q => q.LastContactAt?.ToUniversalTime()).ToArray(), NpgsqlDbType.TimestampTz); builder.Append(", ");
            Parameter(builder, queued.Select(q => q.ScoredOn).ToArray(), NpgsqlDbType.Date); builder.Append(", ");
            Parameter(builder, queued.Select(q => q.Priority).ToArray(), NpgsqlDbType.Integer);
            builder.Append($") on conflict (loan_id) do update set {WorkQueueSchema.UpdateFromExcluded}");
        }
        if (leaving.Count > 0)
        {
            builder.StartNewCommand();
            builder.Append($"delete from {queue.Table} where loan_id = any(");
            Parameter(builder, leaving.ToArray(), NpgsqlDbType.Uuid);
            builder.Append(")");
        }
        if (payments.Count > 0)
        {
            // A plain insert, as the projection's: a reference used twice on a loan fails the whole batch.
            builder.StartNewCommand();
            builder.Append($"insert into {new PaymentReferences(schema, eventSchema).Table} (loan_id, reference, amount, event_id) select * from unnest(");
            Parameter(builder, payments.Select(p => p.Loan).ToArray(), NpgsqlDbType.Uuid); builder.Append(", ");
            Parameter(builder, payments.Select(p => p.Reference).ToArray(), NpgsqlDbType.Varchar); builder.Append(", ");
            Parameter(builder, payments.Select(p => p.Amount).ToArray(), NpgsqlDbType.Numeric); builder.Append(", ");
            Parameter(builder, payments.Select(p => p.Event).ToArray(), NpgsqlDbType.Uuid);
            builder.Append(")");
        }
    }

    /// <summary>An array parameter, for <c>unnest</c>: one value per row of a set-based statement.</summary>
    internal static void Parameter<T>(Weasel.Postgresql.ICommandBuilder builder, T[] values, NpgsqlDbType type)
    {
        var parameter = builder.AppendParameter(values);
        parameter.NpgsqlDbType = NpgsqlDbType.Array | type;
    }

    private static void Scalar(Weasel.Postgresql.ICommandBuilder builder, string? value)
    {
        var parameter = builder.AppendParameter<object>(value is null ? DBNull.Value : value);
        parameter.NpgsqlDbType = NpgsqlDbType.Varchar;
    }

    public Type DocumentType => typeof(Loan);

    public Task PostprocessAsync(DbDataReader reader, IList<Exception> exceptions, CancellationToken token) => Task.CompletedTask;

    public OperationRole Role() => OperationRole.Events;
}

/// <summary>
/// Appends to many loan streams in one call, each checked against the version its events were decided on (0: a stream
/// the call starts): the streams' versions move first (a stream that moved meanwhile fails the whole call with MT003, an archived one with
/// MT001, the codes of Marten's own quick append), then the events go in, sequence numbers taken in order so each stream's events keep
/// their order in the log.
/// </summary>
public sealed class AppendToLoanStreams(string eventSchema) : Function(new PostgresqlObjectName(eventSchema, Name, SchemaUtils.IdentifierUsage.General))
{
    public const string Name = "lending_append_to_streams";

    /// <summary>The SQLSTATEs of a version mismatch and of an archived stream, Marten's own (its quick append raises the same).</summary>
    public const string StreamMoved = "MT003", StreamArchived = "MT001";

    public override void WriteCreateStatement(Migrator rules, TextWriter writer) => writer.WriteLine($$"""
        CREATE OR REPLACE FUNCTION {{eventSchema}}.{{Name}}(stream_ids uuid[], expected_versions bigint[], new_versions bigint[],
          event_streams uuid[], event_versions bigint[], event_ids uuid[], event_types varchar[], dotnet_types varchar[], bodies jsonb[],
          timestamps timestamp with time zone[], causation varchar, correlation varchar, stream_type varchar) RETURNS integer LANGUAGE plpgsql AS $function$
        DECLARE
          moved_ids uuid[];
          stale record;
        BEGIN
          -- The appended streams' rows are locked first, in id order, as Marten's appends lock theirs first
          -- (UseExclusiveLockOnConcurrentAppends): a payment racing the batch waits or makes it wait, never both.
          PERFORM 1 FROM {{eventSchema}}.mt_streams WHERE id = ANY(stream_ids) ORDER BY id FOR UPDATE;
          -- Streams these events start (expected version 0): a taken id fails on the key.
          INSERT INTO {{eventSchema}}.mt_streams (id, type, version, timestamp, tenant_id)
          SELECT v.id, stream_type, v.new_version, now(), '*DEFAULT*'
          FROM unnest(stream_ids, expected_versions, new_versions) AS v(id, expected, new_version) WHERE v.expected = 0;
          WITH moved_rows AS (
            UPDATE {{eventSchema}}.mt_streams s SET version = v.new_version, timestamp = now()
            FROM unnest(stream_ids, expected_versions, new_versions) AS v(id, expected, new_version)
            WHERE v.expected > 0 AND s.id = v.id AND s.id = ANY(stream_ids) AND s.version = v.expected AND NOT coalesce(s.is_archived, false)
            RETURNING s.id)
          SELECT coalesce(array_agg(id), '{}') INTO moved_ids FROM moved_rows;
          IF cardinality(moved_ids) <> (SELECT count(*) FROM unnest(expected_versions) AS v(expected) WHERE v.expected > 0) THEN
            -- The first stream not moved: its version is not the one expected, or it is archived.
            SELECT v.id, v.expected, s.version, coalesce(s.is_archived, false) AS archived INTO stale
            FROM unnest(stream_ids, expected_versions) AS v(id, expected) LEFT JOIN {{eventSchema}}.mt_streams s ON s.id = v.id
            WHERE v.expected > 0 AND v.id <> ALL(moved_ids) LIMIT 1;
            IF stale.archived THEN
              RAISE EXCEPTION 'Attempted to append event to archived stream with Id ''%''.', stale.id USING ERRCODE = '{{StreamArchived}}';
            END IF;
            RAISE EXCEPTION 'Stream version mismatch on ''%'': expected %, actual %', stale.id, stale.expected, coalesce(stale.version, 0)
              USING ERRCODE = '{{StreamMoved}}';
          END IF;
          INSERT INTO {{eventSchema}}.mt_events (seq_id, id, stream_id, version, data, type, tenant_id, timestamp, mt_dotnet_type,
            is_archived, causation_id, correlation_id, headers)
          SELECT nextval('{{eventSchema}}.mt_events_sequence'), e.id, e.stream, e.version, e.body, e.type, '*DEFAULT*', e.ts, e.dotnet,
            false, causation, correlation, 'null'::jsonb
          FROM unnest(event_streams, event_versions, event_ids, event_types, dotnet_types, bodies, timestamps)
            WITH ORDINALITY AS e(stream, version, id, type, dotnet, body, ts, n)
          ORDER BY e.n;
          RETURN cardinality(moved_ids);
        END;
        $function$;
        """);
}
