using System.Runtime.InteropServices;
using Npgsql;

namespace Lending.Api.Benchmarks;

public sealed record StatementTime(string Query, long Calls, double TotalMs, double MeanMs, double SharePercent);

public sealed record LoadResult(string Kind, int Requests, double PerSecond, double P50Ms, double P99Ms, int Refused, int Failed);

/// <param name="ActionsWaiting">Escalation actions (notices, assignments, referrals) not yet carried out when the date
/// closed, and <paramref name="ActionsSeconds"/> the time until they were.</param>
/// <param name="Cpu">Where the cores went while the date closed.</param>
/// <param name="ProjectionsBehind">Events the async projections had still to process when the date closed (they stand
/// aside while it closes), and <paramref name="ProjectionsSeconds"/> the time until both had passed the close's last event,
/// while the actions were carried out.</param>
public sealed record CloseOfBusinessResult(DateOnly Date, long LoansProcessed, double Seconds, string Status, long ActionsWaiting = 0,
    double ActionsSeconds = 0, CpuShare? Cpu = null, long ProjectionsBehind = 0, double ProjectionsSeconds = 0)
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
    /// <summary>Seconds the load's clients ran before the measured <see cref="Seconds"/>.</summary>
    public int WarmUpSeconds { get; set; }
    public MachineInfo Machine { get; set; } = null!;
    public DateTimeOffset At { get; set; } = DateTimeOffset.UtcNow;
    public long GeneratedEvents { get; set; }
    public double GenerateSeconds { get; set; }
    public double GenerateEventsPerSecond => GeneratedEvents / GenerateSeconds;
    public double GenerateDecideSeconds { get; set; }
    public double GenerateSaveSeconds { get; set; }
    public CpuShare? GenerateCpu { get; set; }
    public IReadOnlyList<StatementTime> GenerateStatements { get; set; } = [];
    public IReadOnlyList<StatementTime> LoadStatements { get; set; } = [];
    /// <summary>PostgreSQL's time while the dates closed (their escalation actions' drains between them left out).</summary>
    public IReadOnlyList<StatementTime> CloseOfBusinessStatements { get; set; } = [];
    public double BaselineRowsPerSecond { get; set; }
    public int BaselineClients { get; set; }
    /// <summary>The read baseline: the whole event table read in order and deserialized (<see cref="SequentialRead"/>).</summary>
    public long SequentialReadEvents { get; set; }
    public double SequentialReadSeconds { get; set; }
    public double SequentialReadEventsPerSecond => SequentialReadSeconds > 0 ? SequentialReadEvents / SequentialReadSeconds : 0;
    public double CatchUpSeconds { get; set; }
    public CpuShare? CatchUpCpu { get; set; }
    public double CatchUpEventsPerSecond => GeneratedEvents / CatchUpSeconds;
    public List<CloseOfBusinessResult> CloseOfBusiness { get; set; } = [];
    public IReadOnlyList<LoadResult> Load { get; set; } = [];
    public CpuShare? LoadCpu { get; set; }
    public LoadResult SummaryIdle { get; set; } = null!;
    public LoadResult? SummaryAfterRebuild { get; set; }
    public long EventsInStore { get; set; }
    public double RebuildSeconds { get; set; }
    public CpuShare? RebuildCpu { get; set; }
    public IReadOnlyList<StatementTime> RebuildStatements { get; set; } = [];
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

    public static async Task<IReadOnlyList<StatementTime>> TopAsync(string connectionString, int count, CancellationToken ct) =>
        new StatementProfile().Add(StatementProfile.Nothing, await SnapshotAsync(connectionString, ct)).Top(count);

    /// <summary>
    /// Every statement's calls and time so far in this database, by query id: two snapshots around a phase give its
    /// profile without a reset, when other phases (measured or not) run between its parts.
    /// </summary>
    public static async Task<IReadOnlyDictionary<long, StatementTime>> SnapshotAsync(string connectionString, CancellationToken ct)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync(ct);
        try
        {
            await using var cmd = new NpgsqlCommand("""
                select queryid, left(regexp_replace(min(query), '\s+', ' ', 'g'), 160), sum(calls)::bigint, sum(total_exec_time)
                from pg_stat_statements where dbid = (select oid from pg_database where datname = current_database())
                  and queryid is not null
                  and query not like '%pg_sleep%' -- the daemon's idle waits are time, not work
                group by queryid
                """, conn);
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            var rows = new Dictionary<long, StatementTime>();
            while (await reader.ReadAsync(ct))
                rows[reader.GetInt64(0)] = new StatementTime(reader.GetString(1), reader.GetInt64(2), reader.GetDouble(3), 0, 0);
            return rows;
        }
        catch (PostgresException) { return StatementProfile.Nothing; }
    }
}

/// <summary>The statements of a phase, summed over its parts (each the difference of two snapshots).</summary>
public sealed class StatementProfile
{
    public static readonly IReadOnlyDictionary<long, StatementTime> Nothing = new Dictionary<long, StatementTime>();
    private readonly Dictionary<long, StatementTime> _sum = [];

    public StatementProfile Add(IReadOnlyDictionary<long, StatementTime> before, IReadOnlyDictionary<long, StatementTime> after)
    {
        foreach (var (id, now) in after)
        {
            // A statement the server evicted and counted again since the first snapshot counts from zero.
            var then = before.GetValueOrDefault(id) is { } b && b.Calls <= now.Calls && b.TotalMs <= now.TotalMs ? b : null;
            var (calls, ms) = (now.Calls - (then?.Calls ?? 0), now.TotalMs - (then?.TotalMs ?? 0));
            if (calls <= 0) continue;
            var sum = _sum.GetValueOrDefault(id);
            _sum[id] = new StatementTime(now.Query, (sum?.Calls ?? 0) + calls, (sum?.TotalMs ?? 0) + ms, 0, 0);
        }
        return this;
    }

    /// <summary>The <paramref name="count"/> statements that took the most time, with their mean and share of all of it.</summary>
    public IReadOnlyList<StatementTime> Top(int count)
    {
        var total = _sum.Values.Sum(t => t.TotalMs);
        return [.. _sum.Values.OrderByDescending(t => t.TotalMs).Take(count)
            .Select(t => t with { MeanMs = t.TotalMs / t.Calls, SharePercent = total > 0 ? 100 * t.TotalMs / total : 0 })];
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
        await using (var reader = await new NpgsqlCommand($"select name, current_setting(name) from pg_settings where name = any(@names)", conn)
                         { Parameters = { new("names", Settings) } }.ExecuteReaderAsync(ct))
            while (await reader.ReadAsync(ct)) settings[reader.GetString(0)] = reader.GetString(1);
        return new MachineInfo(Environment.ProcessorCount, Math.Round(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 1e9, 1),
            RuntimeInformation.OSDescription, RuntimeInformation.FrameworkDescription, $"PostgreSQL {version}", settings);
    }
}
