using System.Collections.Concurrent;
using System.Data;
using System.Diagnostics;
using Marten;
using Npgsql;

namespace Lending.Api.Benchmarks;

/// <summary>
/// The second baseline, for projections: the machine's rate for reading the whole event table in sequence order and
/// deserializing every event into its .NET type with the store's own serializer, on one connection, doing nothing else.
/// A projection that replays the store cannot be faster than this.
/// </summary>
public static class SequentialRead
{
    public static async Task<(long Events, double Seconds)> MeasureAsync(string connectionString, IDocumentStore store, CancellationToken ct)
    {
        var serializer = store.Options.Serializer();
        var types = new ConcurrentDictionary<string, Type>();
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync(ct);
        await using var cmd = new NpgsqlCommand(
            $"select mt_dotnet_type, data from {Setup.MartenSetup.EventSchema}.mt_events order by seq_id", conn) { CommandTimeout = 0 };
        var watch = Stopwatch.StartNew();
        long events = 0;
        await using (var reader = await cmd.ExecuteReaderAsync(CommandBehavior.SequentialAccess, ct))
            while (await reader.ReadAsync(ct))
            {
                var type = types.GetOrAdd(reader.GetString(0), name => Type.GetType(name)
                    ?? throw new InvalidOperationException($"Unknown event type {name}"));
                using var json = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(reader.GetString(1)));
                _ = serializer.FromJson(type, json);
                events++;
            }
        return (events, watch.Elapsed.TotalSeconds);
    }
}
