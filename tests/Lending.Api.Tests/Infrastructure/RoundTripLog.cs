using System.Collections.Concurrent;
using Marten;
using Marten.Services;
using Npgsql;

namespace Lending.Api.Tests.Infrastructure;

/// <summary>
/// Records every round trip to PostgreSQL of the sessions it logs (a session's <c>Logger</c>, or the store's logger for
/// the sessions opened while it is set), each as its statements.
/// </summary>
public sealed class RoundTripLog : IMartenLogger, IMartenSessionLogger
{
    public ConcurrentQueue<string[]> RoundTrips { get; } = new();

    /// <summary>The round trips with a select that names any of the tables.</summary>
    public List<string[]> Reading(params string[] tables) => RoundTrips.Where(r => r.Any(sql => Selects(sql, tables))).ToList();

    /// <summary>How many selects name any of the tables, over all round trips.</summary>
    public int Selects(params string[] tables) => RoundTrips.Sum(r => r.Count(sql => Selects(sql, tables)));

    private static bool Selects(string sql, string[] tables) =>
        sql.TrimStart().StartsWith("select", StringComparison.OrdinalIgnoreCase) && tables.Any(sql.Contains);

    public IMartenSessionLogger StartSession(IQuerySession session) => this;
    public void SchemaChange(string sql) { }
    public void OnBeforeExecute(NpgsqlCommand command) => RoundTrips.Enqueue([command.CommandText]);
    public void OnBeforeExecute(NpgsqlBatch batch) => RoundTrips.Enqueue([.. batch.BatchCommands.Cast<NpgsqlBatchCommand>().Select(c => c.CommandText)]);
    public void LogSuccess(NpgsqlCommand command) { }
    public void LogFailure(NpgsqlCommand command, Exception ex) { }
    public void LogSuccess(NpgsqlBatch batch) { }
    public void LogFailure(NpgsqlBatch batch, Exception ex) { }
    public void LogFailure(Exception ex, string message) { }
    public void RecordSavedChanges(IDocumentSession session, IChangeSet commit) { }
}
