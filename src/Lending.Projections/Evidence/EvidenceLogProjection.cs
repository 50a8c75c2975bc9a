using System.Text.Json;
using JasperFx.Events;
using JasperFx.Events.Projections;
using Lending.Evidence;
using Marten;
using Marten.Events.Projections;

namespace Lending.Projections.Evidence;

/// <summary>
/// The sealed log: an append-only RFC 6962 Merkle tree over every event of the store in sequence order, kept by the
/// async daemon, so it integrates events only up to the daemon's high-water mark (no event can later appear below a
/// sealed one). Each page is sealed in the daemon's transaction for that page, with its progress.
/// <para>
/// The page's events are read back from the event table itself, every row between the last sealed sequence number and
/// the page's last: an event the daemon would skip (an unknown type) is sealed all the same, and the data hashed is the
/// stored JSON, canonicalized, not a re-serialization. A page at or below what is sealed (a rebuild) changes nothing.
/// Marten's tombstones are not sealed: rows it writes for the sequence numbers of an append that failed (two writers on
/// one loan, one losing its version check), in a stream of their own, they record nothing that happened.
/// </para>
/// </summary>
public sealed class EvidenceLogProjection : ProjectionBase, IProjection
{
    public const string ProjectionName = "EvidenceLog";
    private readonly EvidenceLogSchema _schema;

    // The right edge of the tree (perfect subtrees, highest level first) and where the log ends; checked against the
    // database at every page and reloaded when they differ (a failed commit, another node, a reset).
    private readonly List<(int Level, byte[] Hash)> _frontier = [];
    private long _size;
    private long _lastSeq;

    public EvidenceLogProjection(EvidenceLogSchema schema)
    {
        _schema = schema;
        Name = ProjectionName;
        IncludeArchivedEvents = true;
        Options.BatchSize = 1_000;
        Options.TeardownDataOnRebuild = false;
    }

    public async Task ApplyAsync(IDocumentOperations operations, IReadOnlyList<IEvent> events, CancellationToken ct)
    {
        if (events.Count == 0) return;
        var head = (await operations.QueryAsync<string>(
            $"select (coalesce(max(position), -1) + 1)::text || ' ' || coalesce(max(seq_id), 0)::text from {_schema.Leaves}", ct)).Single().Split(' ');
        var (size, lastSeq) = (long.Parse(head[0]), long.Parse(head[1]));
        var through = events[^1].Sequence;
        if (through <= lastSeq) return; // sealed already: a rebuild replays, the log never changes
        if (size != _size || lastSeq != _lastSeq) await ReloadFrontier(operations, size, lastSeq, ct);

        var rows = await operations.QueryAsync<string>($"""
            select {EvidenceLogSchema.EventRowJson}
            from {_schema.Events} e where e.seq_id > ? and e.seq_id <= ? and e.type <> ? order by e.seq_id
            """, ct, lastSeq, through, Tombstone.Name);
        var parsed = rows.Select(r => JsonDocument.Parse(r).RootElement).ToList();
        var streams = parsed.Select(r => r.GetProperty("streamId").GetGuid()).Distinct().ToArray();
        var heads = (await operations.QueryAsync<string>($"""
            select s.id::text || ' ' || encode(l.leaf, 'hex') || ' ' || l.version::text from unnest(?::uuid[]) s(id)
            cross join lateral (select leaf, version from {_schema.Leaves} where stream_id = s.id order by version desc limit 1) l
            """, ct, streams)).Select(s => s.Split(' ')).ToDictionary(s => Guid.Parse(s[0]), s => (Leaf: s[1], Version: long.Parse(s[2])));
        var previous = heads.ToDictionary(h => h.Key, h => h.Value.Leaf);
        var sealedVersions = heads.ToDictionary(h => h.Key, h => h.Value.Version);

        var positions = new List<long>();
        var seqs = new List<long>();
        var streamIds = new List<Guid>();
        var versions = new List<long>();
        var leaves = new List<byte[]>();
        var leafJson = new List<string>();
        var nodeLevels = new List<short>();
        var nodeIndexes = new List<long>();
        var nodeHashes = new List<byte[]>();
        foreach (var r in parsed)
        {
            var streamId = r.GetProperty("streamId").GetGuid();
            // A stream is sealed version after version: an event that would leave a gap in its chain stops the log, loudly,
            // rather than sealing a stream with a hole (it could only come from an event committed below the high-water mark).
            var version = r.GetProperty("version").GetInt64();
            if (version != sealedVersions.GetValueOrDefault(streamId) + 1)
                throw new InvalidOperationException($"Evidence log: stream {streamId} version {version} follows sealed version " +
                                                    $"{sealedVersions.GetValueOrDefault(streamId)}; refusing to seal a gap.");
            sealedVersions[streamId] = version;
            var leaf = EventLeaf.For(r.GetProperty("seq").GetInt64(), streamId, r.GetProperty("version").GetInt64(),
                r.GetProperty("type").GetString()!, r.GetProperty("timestamp").GetString()!, r.GetProperty("data").GetString()!,
                previous.GetValueOrDefault(streamId));
            var hash = leaf.Hash();
            previous[streamId] = Hex.Of(hash);
            positions.Add(_size);
            seqs.Add(leaf.Seq);
            streamIds.Add(streamId);
            versions.Add(leaf.Version);
            leaves.Add(hash);
            leafJson.Add(leaf.CanonicalJson());
            foreach (var (level, index, node) in Append(hash))
            {
                nodeLevels.Add((short)level);
                nodeIndexes.Add(index);
                nodeHashes.Add(node);
            }
        }
        // The last sealed event: a page may end in tombstones, which are not sealed.
        _lastSeq = seqs.Count > 0 ? seqs[^1] : lastSeq;
        if (positions.Count == 0) return;

        operations.QueueSqlCommand($"""
            insert into {_schema.Leaves} (position, seq_id, stream_id, version, leaf, leaf_json)
            select * from unnest(?::bigint[], ?::bigint[], ?::uuid[], ?::bigint[], ?::bytea[], ?::text[])
            """, positions.ToArray(), seqs.ToArray(), streamIds.ToArray(), versions.ToArray(), leaves.ToArray(), leafJson.ToArray());
        if (nodeHashes.Count > 0)
            operations.QueueSqlCommand($"insert into {_schema.Nodes} (level, idx, hash) select * from unnest(?::smallint[], ?::bigint[], ?::bytea[])",
                nodeLevels.ToArray(), nodeIndexes.ToArray(), nodeHashes.ToArray());
    }

    /// <summary>Adds a leaf at position <see cref="_size"/>; returns the perfect subtrees it completes (level ≥ 1).</summary>
    private List<(int Level, long Index, byte[] Hash)> Append(byte[] leaf)
    {
        var completed = new List<(int, long, byte[])>();
        var position = _size++;
        _frontier.Add((0, leaf));
        while (_frontier.Count >= 2 && _frontier[^1].Level == _frontier[^2].Level)
        {
            var (level, right) = _frontier[^1];
            var left = _frontier[^2].Hash;
            _frontier.RemoveRange(_frontier.Count - 2, 2);
            var node = Merkle.NodeHash(left, right);
            completed.Add((level + 1, position >> (level + 1), node));
            _frontier.Add((level + 1, node));
        }
        return completed;
    }

    private async Task ReloadFrontier(IDocumentOperations operations, long size, long lastSeq, CancellationToken ct)
    {
        _frontier.Clear();
        var wanted = new List<(int Level, long Index)>();
        long start = 0;
        for (var level = 62; level >= 0; level--)
            if ((size & (1L << level)) != 0)
            {
                wanted.Add((level, start >> level));
                start += 1L << level;
            }
        var found = await EvidenceLogReads.PerfectNodesAsync(operations, _schema, wanted, ct);
        foreach (var key in wanted) _frontier.Add((key.Level, found[key]));
        (_size, _lastSeq) = (size, lastSeq);
    }
}
