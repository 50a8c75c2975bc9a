using System.Diagnostics;
using Npgsql;

namespace Lending.Api.Benchmarks;

/// <summary>
/// Where the machine's cores went over a phase: this process (the API and, in the benchmark, its clients), the local
/// PostgreSQL's processes, and what was left idle. Read from /proc (Linux); elsewhere nothing is reported.
/// </summary>
public sealed record CpuShare(double Seconds, double ThisProcessCores, double PostgreSqlCores, double IdleCores);

public sealed class MachineLoad
{
    private readonly Stopwatch _watch = Stopwatch.StartNew();
    private readonly TimeSpan _process = Process.GetCurrentProcess().TotalProcessorTime;
    private readonly double _postgres = PostgresTicks();
    private readonly double _idle = IdleTicks();

    public CpuShare? Stop()
    {
        if (!OperatingSystem.IsLinux()) return null;
        var seconds = _watch.Elapsed.TotalSeconds;
        const double ticks = 100; // USER_HZ, the unit of /proc's CPU times on every Linux
        return new CpuShare(seconds, (Process.GetCurrentProcess().TotalProcessorTime - _process).TotalSeconds / seconds,
            (PostgresTicks() - _postgres) / ticks / seconds, (IdleTicks() - _idle) / ticks / seconds);
    }

    private static double IdleTicks()
    {
        if (!OperatingSystem.IsLinux()) return 0;
        // "cpu  user nice system idle iowait ...": idle and iowait are the time no process ran.
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return double.Parse(fields[4]) + double.Parse(fields[5]);
    }

    private static double PostgresTicks()
    {
        if (!OperatingSystem.IsLinux()) return 0;
        double total = 0;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                // "pid (comm) state ppid ...": utime and stime are the 14th and 15th fields, the 12th and 13th after the comm.
                var close = stat.LastIndexOf(')');
                if (close < 0 || !stat.AsSpan(stat.IndexOf('(') + 1, close - stat.IndexOf('(') - 1).SequenceEqual("postgres")) continue;
                var rest = stat[(close + 2)..].Split(' ');
                total += double.Parse(rest[11]) + double.Parse(rest[12]);
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        return total;
    }
}

/// <summary>
/// The escalation actions a close of business left behind (notices, assignments, referrals: one durable message each),
/// waited for until carried out, as the next business date would find them done.
/// </summary>
public static class EscalationBacklog
{
    public static async Task<(long Waiting, double Seconds)> DrainAsync(string connectionString, CancellationToken ct)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync(ct);
        var watch = Stopwatch.StartNew();
        // Held for a borrower's quiet hours, an action is Scheduled, not waiting: it goes when the window opens.
        var pending = $"from {Setup.MartenSetup.MessageSchema}.wolverine_incoming_envelopes where status = 'Incoming' and message_type = any($1)";
        long waiting = 0;
        await using (var bodies = new NpgsqlCommand("select body " + pending, conn) { Parameters = { new() { Value = Escalation.CarryOutEscalations.StoredTypes } } })
        await using (var reader = await bodies.ExecuteReaderAsync(ct))
            while (await reader.ReadAsync(ct))
                waiting += Escalation.CarryOutEscalations.InStoredEnvelope(reader.GetFieldValue<byte[]>(0)).Count;
        await using var left = new NpgsqlCommand("select exists (select 1 " + pending + ")", conn) { Parameters = { new() { Value = Escalation.CarryOutEscalations.StoredTypes } } };
        while ((bool)(await left.ExecuteScalarAsync(ct))!) await Task.Delay(250, ct);
        return (waiting, waiting == 0 ? 0 : watch.Elapsed.TotalSeconds);
    }
}
