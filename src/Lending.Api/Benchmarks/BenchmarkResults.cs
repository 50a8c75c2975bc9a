using System.Runtime.InteropServices;
using Npgsql;

namespace Lending.Api.Benchmarks;

public sealed record StatementTime(string Query, long Calls, double TotalMs, double MeanMs, double SharePercent);

public sealed record LoadResult(string Kind, int Requests, double PerSecond, double P50Ms, double P99Ms, int Refused, int Failed);

/// <param name="ActionsWaiting">Escalation actions (notices, assignments, referrals) not yet carried out when the date
/// closed, and <paramref name="ActionsSeconds"/> the time until they were.</param>
public sealed record CloseOfBusinessResult(DateOnly Date, long LoansProcessed, double Seconds, string Status, long ActionsWaiting = 0,
    double ActionsSeconds = 0)
{
    public double MsPerLoan => LoansProcessed == 0 ? 0 : Seconds * 1000 / LoansProcessed;
    public double ActionsPerSecond => ActionsSeconds > 0 ? ActionsWaiting / ActionsSeconds : 0;
}

public sealed record MachineInfo(int Cores, double MemoryGb, string Os, string Runtime, string PostgreSql, IReadOnlyDictionary<string, string> Settings);

public sealed class BenchmarkResults
{
    public int Loans { get; set; }
    public int Months { get; set; }
    public int Clients { get; set; }
    /// <summary>API nodes (processes on the same database) the load phase's clients were spread over.</summary>
    public int Nodes { get; set; } = 1;
    public int Seconds { get; set; }
    public MachineInfo Machine { get; set; } = null!;
    public DateTimeOffset At { get; set; } = DateTimeOffset.UtcNow;
    public long GeneratedEvents { get; set; }
    public double GenerateSeconds { get; set; }
    public double GenerateEventsPerSecond => GeneratedEvents / GenerateSeconds;
    public double GenerateDecideSeconds { get; set; }
    public double GenerateSaveSeconds { get; set; }
    public IReadOnlyList<StatementTime> GenerateStatements { get; set; } = [];
    public IReadOnlyList<StatementTime> LoadStatements { get; set; } = [];
    public double BaselineRowsPerSecond { get; set; }
    public int BaselineClients { get; set; }
    /// <summary>The read baseline: the whole event table read in order and deserialized (<see cref="SequentialRead"/>).</summary>
    public long SequentialReadEvents { get; set; }
    public double SequentialReadSeconds { get; set; }
    public double SequentialReadEventsPerSecond => SequentialReadSeconds > 0 ? SequentialReadEvents / SequentialReadSeconds : 0;
    public double CatchUpSeconds { get; set; }
    public double CatchUpEventsPerSecond => GeneratedEvents / CatchUpSeconds;
    public List<CloseOfBusinessResult> CloseOfBusiness { get; set; } = [];
    public IReadOnlyList<LoadResult> Load { get; set; } = [];
    public CpuShare? LoadCpu { get; set; }
    public LoadResult SummaryIdle { get; set; } = null!;
    public LoadResult? SummaryAfterRebuild { get; set; }
    public long EventsInStore { get; set; }
    public double RebuildSeconds { get; set; }
    public double RebuildEventsPerSecond => RebuildSeconds > 0 ? EventsInStore / RebuildSeconds : 0;
}

/// <summary>Where PostgreSQL's time went, from pg_stat_statements (when the server loads it, as the benchmark cluster does).</summary>
public static class Statements
{
    public static async Task ResetAsync(string connectionString, CancellationToken ct)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync(ct);
        try
        {
            await new NpgsqlCommand("create extension if not exists pg_stat_statements; select pg_stat_statements_reset();", conn).ExecuteNonQueryAsync(ct);
        }
        catch (PostgresException) { /* not preloaded on this server: no statement profile */ }
    }

    public static async Task<IReadOnlyList<StatementTime>> TopAsync(string connectionString, int count, CancellationToken ct)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync(ct);
        try
        {
            await using var cmd = new NpgsqlCommand("""
                select left(regexp_replace(query, '\s+', ' ', 'g'), 160), calls, total_exec_time, mean_exec_time,
                       100 * total_exec_time / nullif(sum(total_exec_time) over (), 0)
                from pg_stat_statements where dbid = (select oid from pg_database where datname = current_database())
                  and query not like '%pg_sleep%' -- the daemon's idle waits are time, not work
                order by total_exec_time desc limit @count
                """, conn) { Parameters = { new("count", count) } };
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            var rows = new List<StatementTime>();
            while (await reader.ReadAsync(ct))
                rows.Add(new StatementTime(reader.GetString(0), reader.GetInt64(1), reader.GetDouble(2), reader.GetDouble(3), reader.IsDBNull(4) ? 0 : reader.GetDouble(4)));
            return rows;
        }
        catch (PostgresException) { return []; }
    }
}

public static class Machine
{
    private static readonly string[] Settings =
        ["shared_buffers", "synchronous_commit", "fsync", "wal_level", "max_wal_size", "checkpoint_timeout", "work_mem", "effective_io_concurrency", "max_connections"];

    public static async Task<MachineInfo> DescribeAsync(string connectionString, CancellationToken ct)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync(ct);
        var version = (string)(await new NpgsqlCommand("show server_version", conn).ExecuteScalarAsync(ct))!;
        var settings = new SortedDictionary<string, string>();
        await using (var reader = await new NpgsqlCommand($"select name, setting || coalesce(unit, '') from pg_settings where name = any(@names)", conn)
                         { Parameters = { new("names", Settings) } }.ExecuteReaderAsync(ct))
            while (await reader.ReadAsync(ct)) settings[reader.GetString(0)] = reader.GetString(1);
        return new MachineInfo(Environment.ProcessorCount, Math.Round(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 1e9, 1),
            RuntimeInformation.OSDescription, RuntimeInformation.FrameworkDescription, $"PostgreSQL {version}", settings);
    }
}
