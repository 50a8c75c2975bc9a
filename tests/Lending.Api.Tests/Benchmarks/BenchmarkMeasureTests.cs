using Lending.Api.Benchmarks;
using Lending.Api.Escalation;
using Lending.Domain.Escalation;
using Lending.Domain.Loans;
using Lending.Api.Tests.Infrastructure;
using Npgsql;
using Wolverine;

namespace Lending.Api.Tests.Benchmarks;

/// <summary>What the benchmark reads off the machine and off Wolverine's inbox.</summary>
public class BenchmarkMeasureTests(AppFixture app) : ApiTest(app)
{
    [Fact]
    public async Task The_cores_this_process_and_its_PostgreSQL_use_are_counted_apart()
    {
        if (!OperatingSystem.IsLinux()) return; // read from /proc
        await using var connection = new NpgsqlConnection(App.ConnectionString);
        await connection.OpenAsync();
        var load = await MachineLoad.StartAsync(connection, CancellationToken.None);
        // This process spins on one thread while PostgreSQL works on another (a query of about a second).
        var query = new NpgsqlCommand("select count(*) from generate_series(1, 3000000) a, lateral (select md5(a::text)) b", connection).ExecuteScalarAsync();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var spin = 0L;
        while (watch.ElapsedMilliseconds < 1000) spin++;
        await query;
        var cpu = load.Stop()!;
        Assert.True(spin > 0);
        Assert.InRange(cpu.ThisProcessCores, 0.1, cpu.Cores);
        Assert.InRange(cpu.PostgreSqlCores, 0.1, cpu.Cores);
        Assert.InRange(cpu.IdleCores, 0, cpu.Cores);
        Assert.InRange(cpu.Cores, 0.5, Environment.ProcessorCount * 64);
    }

    [Fact]
    public void The_actions_in_a_stored_envelope_are_read_back_whether_one_or_a_close_of_business_batch()
    {
        var date = new DateOnly(2026, 3, 1);
        CarryOutEscalation Action(Guid loan) => new(loan, EscalationStage.Reminder, EscalationAction.ReminderNotice, date, 1);
        var batch = new CarryOutEscalations([Action(Guid.NewGuid()), Action(Guid.NewGuid()), Action(Guid.NewGuid())]);
        var single = Action(Guid.NewGuid());

        Assert.Equal(batch.Actions, CarryOutEscalations.InStoredEnvelope(Stored(batch)));
        Assert.Equal([single], CarryOutEscalations.InStoredEnvelope(Stored(single)));
    }

    [Fact]
    public void A_phase_in_parts_counts_each_statement_between_its_own_snapshots_only()
    {
        static StatementTime T(string query, long calls, double ms) => new(query, calls, ms, 0, 0);
        var beforeFirst = new Dictionary<long, StatementTime> { [1] = T("append", 10, 100), [2] = T("upsert", 5, 50) };
        var afterFirst = new Dictionary<long, StatementTime> { [1] = T("append", 30, 300), [2] = T("upsert", 5, 50), [3] = T("queue", 4, 8) };
        // Between the parts another phase ran the upsert 495 times: not the phase's.
        var beforeSecond = new Dictionary<long, StatementTime>
            { [1] = T("append", 30, 300), [2] = T("upsert", 500, 5000), [3] = T("queue", 4, 8), [4] = T("page", 10, 50) };
        // The queue and page statements were evicted by the server and counted again from zero (the page's calls since
        // then already outnumber those before).
        var afterSecond = new Dictionary<long, StatementTime>
            { [1] = T("append", 40, 420), [2] = T("upsert", 510, 5060), [3] = T("queue", 2, 1), [4] = T("page", 12, 5) };

        var profile = new StatementProfile().Add(beforeFirst, afterFirst).Add(beforeSecond, afterSecond);

        Assert.Equal([("append", 30L, 320.0), ("upsert", 10L, 60.0), ("queue", 6L, 9.0), ("page", 12L, 5.0)],
            profile.Top(4).Select(t => (t.Query, t.Calls, t.TotalMs)));
        var top = Assert.Single(profile.Top(1));
        Assert.Equal(320.0 / 30, top.MeanMs, 6);
        Assert.Equal(100 * 320.0 / 394, top.SharePercent, 6);
    }

    [Fact]
    public void The_report_shows_where_the_cores_and_PostgreSQLs_time_went_while_the_dates_closed()
    {
        var results = new BenchmarkResults
        {
            Machine = new MachineInfo(2, 24, "Linux", ".NET", "PostgreSQL 15", new Dictionary<string, string>()),
            SummaryIdle = new LoadResult("GET /analytics/delinquency (idle)", 1, 1, 1, 1, 0, 0),
            CloseOfBusiness = [new CloseOfBusinessResult(new DateOnly(2026, 12, 8), 6_000, 2, "completed", 10, 1, new CpuShare(2, 2, 0.9, 1.0, 0.1))],
            CloseOfBusinessStatements = [new StatementTime("select lending_events.lending_append_to_streams($1)", 6, 600, 100, 55.5)],
            GenerateCpu = new CpuShare(60, 2, 1.2, 0.7, 0.05),
        };

        var report = BenchmarkReport.Markdown(results);

        Assert.Contains("| 2026-12-08 (completed) | 6,000 | 2.00 | 0.33 | 0.90 / 1.00 / 0.10 | 10 | 1.0 | 10 |", report);
        Assert.Contains("| PostgreSQL time while the dates closed", report);
        Assert.Contains("| `select lending_events.lending_append_to_streams($1)` | 6 | 600 | 100.00 | 55.5% |", report);
        Assert.Contains("Cores used during generation (60.0 s, 2.0 cores counted): the benchmark's process (the generator) 1.20, PostgreSQL 0.70", report);
    }

    private static byte[] Stored(object message)
    {
        var envelope = new Envelope(message)
        {
            Data = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(message, message.GetType(),
                new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web)),
            MessageType = message.GetType().FullName,
        };
        return Wolverine.Runtime.Serialization.EnvelopeSerializer.Serialize(envelope);
    }
}
