using System.Globalization;

namespace Lending.Api.Benchmarks;

/// <summary>A figure the service is held to, judged on one run: met or not, and when not, what the run's profile shows.</summary>
public sealed record TargetVerdict(string Figure, string Measured, string Target, bool Met, string HeldBack);

/// <summary>
/// The figures the service is held to on a two-core machine (docs/benchmarks.md), judged on a run. A missed figure is
/// explained from the run's own measurements of that phase, so a report never says "slow" without saying where: whether
/// the cores were saturated or waiting, which side used them, and PostgreSQL's largest statement.
/// </summary>
public static class BenchmarkTargets
{
    public const double GeneratorShare = 25, RebuildShare = 25, CloseOfBusinessLoansPerSecond = 3_000, WritesPerSecond = 300,
        WriteP99Ms = 100, LoanP99Ms = 50, QueueP99Ms = 50, SummaryP99Ms = 20;

    /// <summary>The REST figures are set for a book of this size; on a smaller one they are easier, and the report says so.</summary>
    public const int LoadBookLoans = 1_000_000;

    public static IReadOnlyList<TargetVerdict> Judge(BenchmarkResults r)
    {
        var verdicts = new List<TargetVerdict>();
        var generatorShare = Percent(r.GenerateEventsPerSecond, r.BaselineRowsPerSecond);
        verdicts.Add(Verdict("Generator: events appended, share of the insert baseline", $"{P(generatorShare)} ({N(r.GenerateEventsPerSecond)}/s)",
            $"≥ {P(GeneratorShare)}", generatorShare >= GeneratorShare,
            Explain(r.GenerateCpu, r.GenerateStatements) + (r.GenerateSeconds > 0
                ? $" The domain took {P(100 * r.GenerateDecideSeconds / r.GenerateSeconds)} of the time, appending and committing through Marten the rest."
                : "")));

        if (r.RebuildSeconds > 0)
        {
            var rebuildShare = Percent(r.RebuildEventsPerSecond, r.SequentialReadEventsPerSecond);
            verdicts.Add(Verdict("Analytics rebuild: events, share of the read baseline", $"{P(rebuildShare)} ({N(r.RebuildEventsPerSecond)}/s)",
                $"≥ {P(RebuildShare)}", rebuildShare >= RebuildShare, Explain(r.RebuildCpu, r.RebuildStatements)));
        }

        var closed = r.CloseOfBusiness.Where(c => c.LoansProcessed > 0).ToList();
        if (closed.Count > 0)
        {
            var rate = closed.Sum(c => c.LoansProcessed) / closed.Sum(c => c.Seconds);
            verdicts.Add(Verdict("Close of business: loans needing work per second", N(rate), $"≥ {N(CloseOfBusinessLoansPerSecond)}",
                rate >= CloseOfBusinessLoansPerSecond, Explain(Combined(closed), r.CloseOfBusinessStatements)));
        }

        if (r.Load.Count == 0) return verdicts;
        var book = r.Loans < LoadBookLoans ? $" (set for {N(LoadBookLoans)} loans; this book has {N(r.Loans)})" : "";
        var load = Explain(r.LoadCpu, r.LoadStatements);
        var writes = r.Load.Where(l => l.Kind.StartsWith("POST", StringComparison.Ordinal)).ToList();
        var (perSecond, writeP99) = (writes.Sum(l => l.PerSecond), writes.Select(l => l.P99Ms).DefaultIfEmpty().Max());
        verdicts.Add(Verdict($"REST writes under {r.Clients} clients", $"{N(perSecond)}/s, p99 {N(writeP99, 1)} ms",
            $"≥ {N(WritesPerSecond)}/s, p99 < {N(WriteP99Ms)} ms{book}", perSecond >= WritesPerSecond && writeP99 < WriteP99Ms, load));
        foreach (var (kind, target) in new[] { ("GET loan", LoanP99Ms), ("GET queue", QueueP99Ms), ("GET delinquency summary", SummaryP99Ms) })
            if (r.Load.FirstOrDefault(l => l.Kind == kind) is { } read)
                verdicts.Add(Verdict($"{kind} p99 under the same load", $"{N(read.P99Ms, 1)} ms", $"< {N(target)} ms{book}", read.P99Ms < target, load));
        return verdicts;
    }

    private static TargetVerdict Verdict(string figure, string measured, string target, bool met, string heldBack) =>
        new(figure, measured, target, met, met ? "" : heldBack);

    /// <summary>
    /// Saturated cores mean the work costs too much; idle ones that something waits (round trips, locks, a serial step).
    /// </summary>
    internal static string Explain(CpuShare? cpu, IReadOnlyList<StatementTime> statements)
    {
        var parts = new List<string>();
        if (cpu is not null)
            parts.Add((cpu.IdleCores < 0.1 * cpu.Cores
                    ? $"the {N(cpu.Cores, 1)} cores were saturated"
                    : $"{N(cpu.IdleCores, 2)} of {N(cpu.Cores, 1)} cores stayed idle, so waiting held it back more than work")
                + $" (PostgreSQL {N(cpu.PostgreSqlCores, 2)}, this process {N(cpu.ThisProcessCores, 2)}, the rest {N(cpu.OtherCores, 2)})");
        if (statements.Count > 0)
        {
            var top = statements[0];
            parts.Add($"PostgreSQL's largest statement took {P(top.SharePercent)} of its time at {N(top.MeanMs, 2)} ms a call: `{Short(top.Query)}`");
        }
        return parts.Count == 0 ? "No profile of this phase (cores and statements are read on Linux with pg_stat_statements)." : string.Join("; ", parts) + ".";
    }

    /// <summary>The dates' core shares, weighted by how long each date took.</summary>
    private static CpuShare? Combined(IReadOnlyList<CloseOfBusinessResult> dates)
    {
        var measured = dates.Where(d => d.Cpu is not null).Select(d => d.Cpu!).ToList();
        if (measured.Count == 0) return null;
        var seconds = measured.Sum(c => c.Seconds);
        double Weighted(Func<CpuShare, double> f) => seconds > 0 ? measured.Sum(c => f(c) * c.Seconds) / seconds : 0;
        return new CpuShare(seconds, Weighted(c => c.Cores), Weighted(c => c.ThisProcessCores), Weighted(c => c.PostgreSqlCores), Weighted(c => c.IdleCores));
    }

    private static double Percent(double value, double of) => of > 0 ? 100 * value / of : 0;
    private static string Short(string query) => (query.Length > 90 ? query[..90] + "…" : query).Replace("`", "'").Replace("|", "\\|");
    private static string N(double v, int decimals = 0) => v.ToString($"N{decimals}", CultureInfo.InvariantCulture);
    private static string P(double v) => v.ToString("0.0", CultureInfo.InvariantCulture) + "%";
}
