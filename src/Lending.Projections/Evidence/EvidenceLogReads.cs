using Marten;

namespace Lending.Projections.Evidence;

public static class EvidenceLogReads
{
    /// <summary>Perfect subtrees by (level, index), level 0 being the leaves themselves: one query for all of them.</summary>
    public static async Task<Dictionary<(int Level, long Index), byte[]>> PerfectNodesAsync(IQuerySession session, EvidenceLogSchema schema,
        IReadOnlyCollection<(int Level, long Index)> wanted, CancellationToken ct)
    {
        if (wanted.Count == 0) return [];
        var leaves = wanted.Where(w => w.Level == 0).Select(w => w.Index).ToArray();
        var nodes = wanted.Where(w => w.Level > 0).ToArray();
        var rows = await session.QueryAsync<string>($"""
            select '0 ' || position::text || ' ' || encode(leaf, 'hex') from {schema.Leaves} where position = any(?)
            union all
            select n.level::text || ' ' || n.idx::text || ' ' || encode(n.hash, 'hex')
            from {schema.Nodes} n join unnest(?::smallint[], ?::bigint[]) w(level, idx) on n.level = w.level and n.idx = w.idx
            """, ct, leaves, nodes.Select(n => (short)n.Level).ToArray(), nodes.Select(n => n.Index).ToArray());
        var found = rows.Select(r => r.Split(' ')).ToDictionary(r => (int.Parse(r[0]), long.Parse(r[1])), r => Convert.FromHexString(r[2]));
        var missing = wanted.Where(w => !found.ContainsKey(w)).ToList();
        if (missing.Count > 0)
            throw new InvalidOperationException($"The evidence log lacks {missing.Count} node(s), e.g. level {missing[0].Level} index {missing[0].Index}.");
        return found;
    }
}
