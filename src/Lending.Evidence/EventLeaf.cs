using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Lending.Evidence;

/// <summary>
/// What the sealed log commits to for one event: its position in the store (<see cref="Seq"/>), stream, version, type,
/// business date, timestamp, the SHA-256 of its canonical JSON data, and the leaf of the previous event of its stream
/// (null for the first), so each stream is a hash chain inside the log. The leaf hash is
/// SHA-256(0x00 ‖ canonical JSON of these fields).
/// </summary>
public sealed record EventLeaf(
    long Seq,
    Guid StreamId,
    long Version,
    string Type,
    string? BusinessDate,
    string Timestamp,
    string DataSha256,
    string? PrevLeaf)
{
    public string CanonicalJson() => Evidence.CanonicalJson.Canonicalize(new JsonObject
    {
        ["seq"] = Seq,
        ["streamId"] = StreamId.ToString("D"),
        ["version"] = Version,
        ["type"] = Type,
        ["businessDate"] = BusinessDate,
        ["timestamp"] = Timestamp,
        ["dataSha256"] = DataSha256,
        ["prevLeaf"] = PrevLeaf,
    }.ToJsonString());

    public byte[] Hash() => Merkle.LeafHash(System.Text.Encoding.UTF8.GetBytes(CanonicalJson()));

    /// <summary>The leaf of an event whose data is <paramref name="dataJson"/> (any JSON text; canonicalized here).</summary>
    public static EventLeaf For(long seq, Guid streamId, long version, string type, string timestamp, string dataJson, string? prevLeaf)
    {
        var canonical = Evidence.CanonicalJson.Canonicalize(dataJson);
        return new(seq, streamId, version, type, BusinessDateOf(canonical), timestamp,
            Hex.Of(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(canonical))), prevLeaf);
    }

    /// <summary>An event's business date: its <c>businessDate</c> member, when it has one (loan events all do).</summary>
    public static string? BusinessDateOf(string json)
    {
        using var doc = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 256 });
        return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("businessDate", out var d)
            && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
    }
}

public static class Hex
{
    public static string Of(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(bytes);
    public static byte[] Parse(string hex) => Convert.FromHexString(hex);
}
