using System.Runtime.InteropServices;
using Npgsql;

namespace Lending.Api.Benchmarks;

public sealed record LoadResult(string Kind, int Requests, double PerSecond, double P50Ms, double P99Ms, int Refused, int Failed);

public sealed record CloseOfBusinessResult(DateOnly Date, long LoansProcessed, double Seconds, string Status)
{
    public double MsPerLoan => LoansProcessed == 0 ? 0 : Seconds * 1000 / LoansProcessed;
}

public sealed record MachineInfo(int Cores, double MemoryGb, string Os, string Runtime, string PostgreSql, IReadOnlyDictionary<string, string> Settings);

public sealed class BenchmarkResults
{
    public int Loans { get; set; }
    public int Months { get; set; }
    public int Clients { get; set; }
    public int Seconds { get; set; }
    public MachineInfo Machine { get; set; } = null!;
    public DateTimeOffset At { get; set; } = DateTimeOffset.UtcNow;
    public long GeneratedEvents { get; set; }
    public double GenerateSeconds { get; set; }
    public double GenerateEventsPerSecond => GeneratedEvents / GenerateSeconds;
    public double BaselineRowsPerSecond { get; set; }
    public int BaselineClients { get; set; }
    public double CatchUpSeconds { get; set; }
    public double CatchUpEventsPerSecond => GeneratedEvents / CatchUpSeconds;
    public List<CloseOfBusinessResult> CloseOfBusiness { get; set; } = [];
    public IReadOnlyList<LoadResult> Load { get; set; } = [];
    public LoadResult SummaryIdle { get; set; } = null!;
    public LoadResult SummaryAfterRebuild { get; set; } = null!;
    public long EventsInStore { get; set; }
    public double RebuildSeconds { get; set; }
    public double RebuildEventsPerSecond => EventsInStore / RebuildSeconds;
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
