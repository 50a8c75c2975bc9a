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
