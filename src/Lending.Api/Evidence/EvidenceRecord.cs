using System.Text.Json;
using Lending.Api.Loans;
using Lending.Projections.Evidence;
using Marten;

namespace Lending.Api.Evidence;

/// <summary>An event as stored: the JSON text of its data and its metadata, as the sealed log read it.</summary>
public sealed record StoredEvent(long Seq, Guid StreamId, long Version, string Type, string Timestamp, string Data);

/// <summary>An event's leaf in the sealed log.</summary>
public sealed record SealedLeaf(long Position, long Seq, long Version, string Leaf, string LeafJson);

/// <summary>Reads a loan's stored events and their leaves, and waits for the sealed log to hold them.</summary>
public sealed class EvidenceRecord(EvidenceLogSchema schema)
{
    public async Task<List<StoredEvent>> StoredEventsAsync(IQuerySession session, Guid streamId, CancellationToken ct) =>
        (await session.QueryAsync<string>($"""
            select {EvidenceLogSchema.EventRowJson}
            from {schema.Events} e where e.stream_id = ? order by e.version
            """, ct, streamId)).Select(r => JsonSerializer.Deserialize<StoredEvent>(r, Web)!).ToList();

    /// <summary>The stream's leaves among the first <paramref name="treeSize"/> of the log, by version.</summary>
    public async Task<List<SealedLeaf>> LeavesAsync(IQuerySession session, Guid streamId, long treeSize, CancellationToken ct) =>
        (await session.QueryAsync<string>($"""
            select json_build_object('position', position, 'seq', seq_id, 'version', version, 'leaf', encode(leaf, 'hex'),
              'leafJson', leaf_json)::text
            from {schema.Leaves} where stream_id = ? and position < ? order by version
            """, ct, streamId, treeSize)).Select(r => JsonSerializer.Deserialize<SealedLeaf>(r, Web)!).ToList();

    /// <summary>The log position of the event with sequence <paramref name="seq"/>, once sealed (null before).</summary>
    public async Task<long?> PositionOfAsync(IQuerySession session, long seq, CancellationToken ct) =>
        (await session.QueryAsync<long>($"select position from {schema.Leaves} where seq_id = ?", ct, seq)).Cast<long?>().SingleOrDefault();

    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);
}
