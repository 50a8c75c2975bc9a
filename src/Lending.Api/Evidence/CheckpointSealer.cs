using System.Text;
using System.Text.Json.Nodes;
using Lending.Evidence;
using Lending.Projections.Evidence;
using Marten;

namespace Lending.Api.Evidence;

/// <summary>A signed tree head: the log's first <see cref="TreeSize"/> events have root <see cref="Root"/>.</summary>
public sealed record Checkpoint(long TreeSize, byte[] Root, DateTimeOffset SealedAt, string Statement, byte[] Signature, string Certificate,
    byte[]? TimestampToken);

/// <summary>
/// Seals checkpoints: the root of the log as it stands, in a canonical statement signed with the lender's key and,
/// where a TSA is configured, stamped by it. The root is computed from the stored tree, so any node can seal; a
/// checkpoint of a size sealed already is the one kept (first writer wins).
/// </summary>
public sealed class CheckpointSealer(IDocumentStore store, EvidenceLogSchema schema, EvidenceSigner signer, TimestampAuthority tsa,
    TimeProvider clock)
{
    public const string LogName = "lending-evidence-log";
    private const long CheckpointLock = 0x4c656e6445766964; // "LendEvid"

    public async Task<long> SealedSizeAsync(IQuerySession session, CancellationToken ct) =>
        (await session.QueryAsync<long>($"select coalesce(max(position), -1) + 1 from {schema.Leaves}", ct)).Single();

    /// <summary>Seals the log at its current size; null when it is empty.</summary>
    public async Task<Checkpoint?> SealAsync(CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        var size = await SealedSizeAsync(session, ct);
        if (size == 0) return null;
        if (await LoadAsync(session, size, ct) is { } sealedAlready) return sealedAlready;

        var nodes = await EvidenceLogReads.PerfectNodesAsync(session, schema, Merkle.NodesFor([], size), ct);
        var root = Merkle.RangeHash(0, size, (level, index) => nodes[(level, index)]);
        // PostgreSQL keeps microseconds: the statement's time is the one stored.
        var now = clock.GetUtcNow().ToUniversalTime();
        var at = new DateTimeOffset(now.Ticks - now.Ticks % 10, TimeSpan.Zero);
        var statement = Statement(size, root, at);
        var bytes = Encoding.UTF8.GetBytes(statement);
        var signature = signer.Sign(bytes, at);
        var token = tsa.Configured ? await tsa.StampAsync(bytes, ct) : null;
        // Checkpoints only grow: under one lock, a size at or below one sealed already is not added (two nodes sealing at once
        // must not slip a smaller checkpoint in after a larger one: "the first checkpoint that holds an event" never changes).
        session.QueueSqlCommand("select pg_advisory_xact_lock(?)", CheckpointLock);
        session.QueueSqlCommand($"""
            insert into {schema.Checkpoints} (tree_size, root, sealed_at, statement, signature, certificate, timestamp_token)
            select ?, ?, ?, ?, ?, ?, ? where not exists (select 1 from {schema.Checkpoints} where tree_size >= ?)
            """, size, root, at, statement, signature, signer.CertificatePem, (object?)token ?? DBNull.Value, size);
        await session.SaveChangesAsync(ct);
        return await LoadAsync(session, size, ct);
    }

    /// <summary>The canonical statement a checkpoint signs: what a verifier reads and hashes.</summary>
    public static string Statement(long size, byte[] root, DateTimeOffset at) => CanonicalJson.Canonicalize(new JsonObject
    {
        ["log"] = LogName,
        ["treeSize"] = size,
        ["rootHash"] = Hex.Of(root),
        ["sealedAt"] = at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", System.Globalization.CultureInfo.InvariantCulture),
    }.ToJsonString());

    /// <summary>The first checkpoint whose tree holds position <paramref name="position"/>.</summary>
    public async Task<Checkpoint?> FirstCoveringAsync(IQuerySession session, long position, CancellationToken ct)
    {
        var size = (await session.QueryAsync<long>(
            $"select coalesce(min(tree_size), 0) from {schema.Checkpoints} where tree_size > ?", ct, position)).Single();
        return size == 0 ? null : await LoadAsync(session, size, ct);
    }

    private async Task<Checkpoint?> LoadAsync(IQuerySession session, long size, CancellationToken ct)
    {
        var row = (await session.QueryAsync<string>($"""
            select json_build_object('root', encode(root, 'hex'), 'sealedAt', sealed_at, 'statement', statement,
              'signature', encode(signature, 'base64'), 'certificate', certificate, 'token', encode(timestamp_token, 'base64'))::text
            from {schema.Checkpoints} where tree_size = ?
            """, ct, size)).SingleOrDefault();
        if (row is null) return null;
        var j = JsonNode.Parse(row)!;
        return new Checkpoint(size, Hex.Parse(j["root"]!.GetValue<string>()), j["sealedAt"]!.GetValue<DateTimeOffset>(),
            j["statement"]!.GetValue<string>(), Convert.FromBase64String(j["signature"]!.GetValue<string>().Replace("\n", "")),
            j["certificate"]!.GetValue<string>(),
            j["token"]?.GetValue<string>() is { } t ? Convert.FromBase64String(t.Replace("\n", "")) : null);
    }
}
