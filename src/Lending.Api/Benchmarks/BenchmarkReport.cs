using System.Globalization;
using System.Text;
using System.Text.Json;
using SkiaSharp;

namespace Lending.Api.Benchmarks;

/// <summary>Writes a benchmark's figures as Markdown (with each rate as a share of the PostgreSQL baseline), JSON and a chart.</summary>
public static class BenchmarkReport
{
    public static async Task<string> WriteAsync(BenchmarkResults r, string folder, string fontPath, CancellationToken ct)
    {
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, "latest.json"),
            JsonSerializer.Serialize(r, new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true }), ct);
        await File.WriteAllBytesAsync(Path.Combine(folder, "latest.png"), Chart(r, fontPath), ct);
        var markdown = Path.Combine(folder, "latest.md");
        await File.WriteAllTextAsync(markdown, Markdown(r), ct);
        return markdown;
    }

    private static string N(double v, int decimals = 0) => v.ToString($"N{decimals}", CultureInfo.InvariantCulture);
    private static string Share(double v, double baseline) => baseline <= 0 ? "–" : $"{(v / baseline * 100).ToString("0.0", CultureInfo.InvariantCulture)}%";

    public static IEnumerable<(string Label, double PerSecond)> Rates(BenchmarkResults r)
    {
        var cob = r.CloseOfBusiness.Where(c => c.LoansProcessed > 0).ToList();
        var writes = r.Load.Where(l => l.Kind.StartsWith("POST")).Sum(l => l.PerSecond);
        yield return ("Events appended through the domain (generator)", r.GenerateEventsPerSecond);
        yield return ("Analytics projection catch-up (events)", r.CatchUpEventsPerSecond);
        if (r.RebuildSeconds > 0) yield return ("Analytics projection rebuild (events)", r.RebuildEventsPerSecond);
        yield return ("Close of business (loans needing work)", cob.Count == 0 ? 0 : cob.Sum(c => c.LoansProcessed) / cob.Sum(c => c.Seconds));
        yield return ("REST writes: contacts + payments (requests)", writes);
    }

    public static string Markdown(BenchmarkResults r)
    {
        var m = r.Machine;
        var s = new StringBuilder();
        s.AppendLine($"# Benchmark run of {r.At:yyyy-MM-dd HH:mm} UTC");
        s.AppendLine();
        s.AppendLine($"{N(r.Loans)} loans generated over {r.Months} months; {r.Clients} concurrent clients for {r.Seconds} s" +
            (r.WarmUpSeconds > 0 ? $" (after {r.WarmUpSeconds} s of the same load, not measured)" : "") +
            (r.Nodes > 1 ? $" on {r.Nodes} API nodes (processes) sharing one database." : "."));
        s.AppendLine($"Machine: {m.Cores} cores, {N(m.MemoryGb, 1)} GB, {m.Os}, {m.Runtime}, {m.PostgreSql} ({string.Join(", ", m.Settings.Select(x => $"{x.Key}={x.Value}"))}).");
        s.AppendLine();
        s.AppendLine($"Baseline: pgbench inserting event-shaped rows ({Baseline.RowsPerTransaction:N0} per transaction, {r.BaselineClients} clients): " +
                     $"**{N(r.BaselineRowsPerSecond)} rows/s**.");
        s.AppendLine($"Read baseline: the whole event table read in sequence order and deserialized, one connection " +
                     $"({N(r.SequentialReadEvents)} events in {N(r.SequentialReadSeconds, 1)} s): **{N(r.SequentialReadEventsPerSecond)} events/s**.");
        s.AppendLine();
        s.AppendLine("| throughput | per second | of the baseline | of the read baseline |");
        s.AppendLine("| --- | ---: | ---: | ---: |");
        foreach (var (label, rate) in Rates(r))
            s.AppendLine($"| {label} | {N(rate)} | {Share(rate, r.BaselineRowsPerSecond)} | " +
                         $"{(label.StartsWith("Analytics") ? Share(rate, r.SequentialReadEventsPerSecond) : "")} |");
        AppendTargets(s, r);
        s.AppendLine();
        s.AppendLine($"Generator: {N(r.GeneratedEvents)} events in {N(r.GenerateSeconds, 1)} s, of which {N(r.GenerateDecideSeconds, 1)} s in the domain " +
                     $"(decisions, folding) and {N(r.GenerateSaveSeconds, 1)} s appending and committing through Marten. Analytics catch-up: " +
                     $"{N(r.CatchUpSeconds, 1)} s. " + (r.RebuildSeconds > 0 ? $"Rebuild: {N(r.EventsInStore)} events in {N(r.RebuildSeconds, 1)} s." : "Rebuild: not run (--no-rebuild)."));
        AppendCores(s, "generation", r.GenerateCpu, "the generator");
        AppendCores(s, "the catch-up", r.CatchUpCpu, "the API and its daemon");
        AppendCores(s, "the rebuild", r.RebuildCpu, "the rebuild");
        AppendStatements(s, "PostgreSQL time during generation", r.GenerateStatements);
        AppendStatements(s, "PostgreSQL time during the concurrent load", r.LoadStatements);
        AppendStatements(s, "PostgreSQL time during the rebuild", r.RebuildStatements);
        s.AppendLine();
        s.AppendLine("| close of business | loans needing work | seconds | ms per loan | cores: this process / PostgreSQL / idle | escalation actions waiting at the close | seconds to carry them out | actions per second | async projections: events behind at the close | seconds to pass the close's last event |");
        s.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var c in r.CloseOfBusiness)
            s.AppendLine($"| {c.Date:yyyy-MM-dd} ({c.Status}) | {N(c.LoansProcessed)} | {N(c.Seconds, 2)} | {N(c.MsPerLoan, 2)} | " +
                         $"{(c.Cpu is { } cpu ? $"{N(cpu.ThisProcessCores, 2)} / {N(cpu.PostgreSqlCores, 2)} / {N(cpu.IdleCores, 2)}" : "–")} | " +
                         $"{N(c.ActionsWaiting)} | {N(c.ActionsSeconds, 1)} | {N(c.ActionsPerSecond)} | {N(c.ProjectionsBehind)} | {N(c.ProjectionsSeconds, 1)} |");
        AppendStatements(s, "PostgreSQL time while the dates closed (the async projections standing aside unless configured not to)",
            r.CloseOfBusinessStatements);
        s.AppendLine();
        s.AppendLine($"| request ({r.Clients} clients, mixed) | requests | per second | p50 ms | p99 ms | refused (4xx) | failed (5xx) |");
        s.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        IEnumerable<LoadResult> idle = r.SummaryAfterRebuild is { } after
            ? [r.SummaryIdle, after with { Kind = "GET /analytics/delinquency (idle, after rebuild)" }]
            : [r.SummaryIdle];
        foreach (var l in r.Load.Concat(idle))
            s.AppendLine($"| {l.Kind} | {N(l.Requests)} | {N(l.PerSecond, 1)} | {N(l.P50Ms, 1)} | {N(l.P99Ms, 1)} | {N(l.Refused)} | {N(l.Failed)} |");
        AppendCores(s, "the load", r.LoadCpu, "the API and its clients");
        s.AppendLine();
        s.AppendLine("![throughput against the PostgreSQL baseline](latest.png)");
        return s.ToString();
    }

    /// <summary>Each figure the service is held to, met or not, and what this run shows holding back those that are not.</summary>
    private static void AppendTargets(StringBuilder s, BenchmarkResults r)
    {
        s.AppendLine();
        s.AppendLine("| target | this run | held to | met | what holds it back (this run's profile of the phase) |");
        s.AppendLine("| --- | ---: | ---: | --- | --- |");
        foreach (var v in BenchmarkTargets.Judge(r))
            s.AppendLine($"| {v.Figure} | {v.Measured} | {v.Target} | {(v.Met ? "yes" : "no")} | {v.HeldBack} |");
    }

    private static void AppendCores(StringBuilder s, string phase, CpuShare? cpu, string process)
    {
        if (cpu is null) return;
        s.AppendLine();
        s.AppendLine($"Cores used during {phase} ({N(cpu.Seconds, 1)} s, {N(cpu.Cores, 1)} cores counted): the benchmark's process ({process}) " +
                     $"{N(cpu.ThisProcessCores, 2)}, PostgreSQL {N(cpu.PostgreSqlCores, 2)}, everything else (other API nodes, the system) " +
                     $"{N(cpu.OtherCores, 2)}, idle {N(cpu.IdleCores, 2)}.");
    }

    private static void AppendStatements(StringBuilder s, string title, IReadOnlyList<StatementTime> statements)
    {
        if (statements.Count == 0) return;
        s.AppendLine();
        s.AppendLine($"| {title} (pg_stat_statements, top {statements.Count}) | calls | total ms | mean ms | share |");
        s.AppendLine("| --- | ---: | ---: | ---: | ---: |");
        foreach (var t in statements)
            s.AppendLine($"| `{t.Query.Replace("|", "\\|")}` | {N(t.Calls)} | {N(t.TotalMs)} | {N(t.MeanMs, 2)} | {N(t.SharePercent, 1)}% |");
    }

    /// <summary>Each throughput as a bar, against the baseline's bar.</summary>
    public static byte[] Chart(BenchmarkResults r, string fontPath)
    {
        var rates = Rates(r).Prepend(("PostgreSQL baseline: raw event-shaped inserts (rows)", r.BaselineRowsPerSecond)).ToList();
        const int width = 1000, rowHeight = 46, left = 20, barLeft = 430, top = 60;
        var height = top + rates.Count * rowHeight + 30;
        using var surface = SKSurface.Create(new SKImageInfo(width, height));
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        using var typeface = File.Exists(fontPath) ? SKTypeface.FromFile(fontPath) : SKTypeface.Default;
        using var title = new SKFont(typeface, 20);
        using var font = new SKFont(typeface, 14);
        using var ink = new SKPaint { Color = SKColors.Black, IsAntialias = true };
        canvas.DrawText($"Throughput per second, {N(r.Loans)} loans, {r.Machine.Cores} cores", left, 32, SKTextAlign.Left, title, ink);
        var max = Math.Max(1, rates.Max(x => x.Item2));
        for (var i = 0; i < rates.Count; i++)
        {
            var (label, rate) = rates[i];
            var y = top + i * rowHeight;
            using var bar = new SKPaint { Color = i == 0 ? new SKColor(120, 120, 120) : new SKColor(46, 110, 180), IsAntialias = true };
            var length = (float)((width - barLeft - 150) * rate / max);
            canvas.DrawRect(barLeft, y, Math.Max(1, length), rowHeight - 14, bar);
            canvas.DrawText(label, left, y + 20, SKTextAlign.Left, font, ink);
            canvas.DrawText($"{N(rate)} ({Share(rate, r.BaselineRowsPerSecond)})", barLeft + length + 8, y + 20, SKTextAlign.Left, font, ink);
        }
        using var image = surface.Snapshot();
        using var png = image.Encode(SKEncodedImageFormat.Png, 100);
        return png.ToArray();
    }
}
