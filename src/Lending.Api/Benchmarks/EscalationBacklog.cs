using System.Diagnostics;
using Lending.Api.Escalation;
using Npgsql;
using Spectre.Console;

namespace Lending.Api.Benchmarks;

/// <summary>
/// The escalation actions a close of business left behind (notices, assignments, referrals: one durable message each),
/// waited for until carried out, as the next business date would find them done.
/// </summary>
public static class EscalationBacklog
{
    /// <summary>Gives up (and says so) when none was carried out for this long: an action left Incoming by a node that
    /// still runs is not picked up by another.</summary>
    private static readonly TimeSpan Stalled = TimeSpan.FromMinutes(5);

    public static async Task<(long Waiting, double Seconds)> DrainAsync(string connectionString, CancellationToken ct)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync(ct);
        var watch = Stopwatch.StartNew();
        // Held for a borrower's quiet hours, an action is Scheduled, not waiting: it goes when the window opens.
        var pending = $"from {Setup.MartenSetup.MessageSchema}.wolverine_incoming_envelopes where status = 'Incoming' and message_type = any($1)";
        NpgsqlCommand Query(string select) => new(select + pending, conn) { Parameters = { new() { Value = CarryOutEscalations.StoredTypes } } };
        long waiting = 0;
        await using (var bodies = Query("select body "))
        await using (var reader = await bodies.ExecuteReaderAsync(ct))
            while (await reader.ReadAsync(ct))
                waiting += CarryOutEscalations.InStoredEnvelope(reader.GetFieldValue<byte[]>(0)).Count;
        await using var left = Query("select count(*) ");
        var (last, since) = (long.MaxValue, Stopwatch.StartNew());
        for (long count; (count = (long)(await left.ExecuteScalarAsync(ct))!) > 0;)
        {
            if (count < last) (last, since) = (count, Stopwatch.StartNew());
            else if (since.Elapsed > Stalled)
            {
                AnsiConsole.MarkupLine($"[yellow]{count:N0} escalation messages still waiting, none carried out for {Stalled.TotalMinutes} minutes: going on[/]");
                break;
            }
            await Task.Delay(1000, ct);
        }
        return (waiting, waiting == 0 ? 0 : watch.Elapsed.TotalSeconds);
    }
}
