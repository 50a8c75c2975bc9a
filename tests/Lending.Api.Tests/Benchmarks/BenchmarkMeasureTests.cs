using Lending.Api.Benchmarks;
using Lending.Api.Escalation;
using Lending.Domain.Escalation;
using Lending.Domain.Loans;
using Wolverine;

namespace Lending.Api.Tests.Benchmarks;

/// <summary>What the benchmark reads off the machine and off Wolverine's inbox.</summary>
public class BenchmarkMeasureTests
{
    [Fact]
    public void The_cores_a_busy_process_uses_are_counted_as_its_own()
    {
        if (!OperatingSystem.IsLinux()) return; // read from /proc
        var load = new MachineLoad();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var spin = 0L;
        while (watch.ElapsedMilliseconds < 500) spin++;
        var cpu = load.Stop()!;
        Assert.True(spin > 0);
        Assert.InRange(cpu.ThisProcessCores, 0.5, Environment.ProcessorCount);
        Assert.InRange(cpu.PostgreSqlCores, 0, Environment.ProcessorCount);
        Assert.InRange(cpu.IdleCores, 0, Environment.ProcessorCount - 0.5);
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
