using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;

namespace Lending.Api.Benchmarks;

/// <summary>
/// The machine's own limit: pgbench inserting rows shaped like Marten's event rows (same columns, indexes and a real
/// event's JSON) into a scratch table, 1,000 rows per transaction, as fast as PostgreSQL takes them.
/// </summary>
public static partial class Baseline
{
    public const int RowsPerTransaction = 1_000;

    public static async Task<(double RowsPerSecond, int Clients)> MeasureAsync(string connectionString, string sampleJson, int seconds, CancellationToken ct)
    {
        var cs = new NpgsqlConnectionStringBuilder(connectionString);
        await using (var conn = new NpgsqlConnection(connectionString))
        {
            await conn.OpenAsync(ct);
            await using var cmd = new NpgsqlCommand("""
                drop table if exists bench_baseline_events;
                create table bench_baseline_events (seq_id bigserial primary key, id uuid not null, stream_id uuid not null,
                  version bigint not null, data jsonb not null, type varchar not null, timestamp timestamptz not null default now(),
                  tenant_id varchar default '*DEFAULT*', mt_dotnet_type varchar, is_archived bool default false,
                  correlation_id varchar, causation_id varchar, headers jsonb);
                create unique index on bench_baseline_events (stream_id, version);
                """, conn);
            await cmd.ExecuteNonQueryAsync(ct);
        }

        var script = Path.Combine(Path.GetTempPath(), $"lending-baseline-{Guid.NewGuid():N}.sql");
        await File.WriteAllTextAsync(script, $"""
            insert into bench_baseline_events (id, stream_id, version, data, type, mt_dotnet_type)
            select gen_random_uuid(), gen_random_uuid(), g, '{sampleJson.Replace("'", "''")}'::jsonb, 'penalty_accrued',
              'Lending.Domain.Loans.PenaltyAccrued, Lending.Domain'
            from generate_series(1, {RowsPerTransaction}) g;
            """, ct);
        try
        {
            var best = (Rate: 0.0, Clients: 0);
            foreach (var clients in new[] { 1, Environment.ProcessorCount })
            {
                var rate = await RunAsync(cs, script, clients, seconds, ct) * RowsPerTransaction;
                if (rate > best.Rate) best = (rate, clients);
            }
            return best;
        }
        finally
        {
            File.Delete(script);
            await using var conn = new NpgsqlConnection(connectionString);
            await conn.OpenAsync(ct);
            await new NpgsqlCommand("drop table if exists bench_baseline_events", conn).ExecuteNonQueryAsync(ct);
        }
    }

    private static async Task<double> RunAsync(NpgsqlConnectionStringBuilder cs, string script, int clients, int seconds, CancellationToken ct)
    {
        var start = new ProcessStartInfo("pgbench", ["-n", "-f", script, "-c", $"{clients}", "-j", $"{clients}", "-T", $"{seconds}",
            "-h", cs.Host!, "-p", $"{cs.Port}", "-U", cs.Username!, cs.Database!])
        { RedirectStandardOutput = true, RedirectStandardError = true };
        if (!string.IsNullOrEmpty(cs.Password)) start.Environment["PGPASSWORD"] = cs.Password;
        using var process = Process.Start(start) ?? throw new InvalidOperationException("pgbench did not start");
        var output = await process.StandardOutput.ReadToEndAsync(ct);
        var errors = await process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        var tps = Tps().Match(output);
        if (process.ExitCode != 0 || !tps.Success) throw new InvalidOperationException($"pgbench failed: {errors}{output}");
        return double.Parse(tps.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"tps = ([0-9.]+)")]
    private static partial Regex Tps();
}
