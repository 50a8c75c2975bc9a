using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace Lending.Api.Benchmarks;

/// <summary>
/// Where the machine's cores went over a phase: this process (the API and, in the benchmark, its clients), the
/// benchmark's PostgreSQL cluster, everything else, and what was left idle. <see cref="Cores"/> is what /proc/stat
/// counted over the phase (the host's CPUs, whatever limit the process runs under).
/// </summary>
public sealed record CpuShare(double Seconds, double Cores, double ThisProcessCores, double PostgreSqlCores, double IdleCores)
{
    public double OtherCores => Math.Max(0, Cores - IdleCores - ThisProcessCores - PostgreSqlCores);
}

/// <summary>Read from /proc (Linux); elsewhere <see cref="Stop"/> reports nothing.</summary>
public sealed class MachineLoad
{
    private const double TicksPerSecond = 100; // USER_HZ, the unit of /proc's CPU times on every Linux
    private readonly Stopwatch _watch = Stopwatch.StartNew();
    private readonly int? _postmaster;
    private readonly TimeSpan _process;
    private readonly double _postgres;
    private readonly (double Idle, double Total) _machine;

    private MachineLoad(int? postmaster)
    {
        _postmaster = postmaster;
        using var self = Process.GetCurrentProcess();
        _process = self.TotalProcessorTime;
        _postgres = ClusterTicks(postmaster);
        _machine = MachineTicks();
    }

    /// <summary>Starts counting; the cluster is the one <paramref name="connection"/> is served by, when it runs on this machine.</summary>
    public static async Task<MachineLoad> StartAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        if (!OperatingSystem.IsLinux()) return new MachineLoad(null);
        await using var backend = new NpgsqlCommand("select pg_backend_pid()", connection);
        var pid = (int)(await backend.ExecuteScalarAsync(ct))!;
        // A backend's parent is the postmaster; a remote server's pid names no process here (or another one: checked by name).
        var postmaster = Stat(pid) is { } stat && stat.Comm == "postgres" ? stat.ParentId : (int?)null;
        return new MachineLoad(postmaster is { } p && Stat(p)?.Comm == "postgres" ? p : null);
    }

    /// <inheritdoc cref="StartAsync(NpgsqlConnection, CancellationToken)"/>
    public static async Task<MachineLoad> StartAsync(string connectionString, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        return await StartAsync(connection, ct);
    }

    public CpuShare? Stop()
    {
        if (!OperatingSystem.IsLinux()) return null;
        var seconds = _watch.Elapsed.TotalSeconds;
        using var self = Process.GetCurrentProcess();
        var (idle, total) = MachineTicks();
        return new CpuShare(seconds, (total - _machine.Total) / TicksPerSecond / seconds,
            (self.TotalProcessorTime - _process).TotalSeconds / seconds,
            (ClusterTicks(_postmaster) - _postgres) / TicksPerSecond / seconds, (idle - _machine.Idle) / TicksPerSecond / seconds);
    }

    /// <summary>"cpu  user nice system idle iowait irq softirq steal guest guest_nice": guest time is counted in user already.</summary>
    private static (double Idle, double Total) MachineTicks()
    {
        if (!OperatingSystem.IsLinux()) return (0, 0);
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(f => double.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        return (fields[3] + fields[4], fields.Take(8).Sum());
    }

    /// <summary>
    /// The postmaster and its children: their own CPU time, and the postmaster's count of its children that ended (backends
    /// closed, autovacuum and parallel workers), so the total only grows.
    /// </summary>
    private static double ClusterTicks(int? postmaster)
    {
        if (postmaster is not { } root || !OperatingSystem.IsLinux()) return 0;
        double total = 0;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
            if (int.TryParse(Path.GetFileName(dir), out var pid) && Stat(pid) is { } stat && (pid == root || stat.ParentId == root))
                total += stat.Ticks + (pid == root ? stat.ChildTicks : 0);
        return total;
    }

    private sealed record ProcessStat(string Comm, int ParentId, double Ticks, double ChildTicks);

    /// <summary>"pid (comm) state ppid … utime stime cutime cstime …": after the comm, ppid is the 2nd field, the times the 12th to 15th.</summary>
    private static ProcessStat? Stat(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            int open = stat.IndexOf('('), close = stat.LastIndexOf(')');
            if (open < 0 || close < open) return null;
            var f = stat[(close + 2)..].Split(' ');
            double T(int i) => double.Parse(f[i], CultureInfo.InvariantCulture);
            return new ProcessStat(stat[(open + 1)..close], int.Parse(f[1], CultureInfo.InvariantCulture), T(11) + T(12), T(13) + T(14));
        }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }
}
