using System.Numerics;
using System.Security.Cryptography;

namespace Lending.Evidence;

/// <summary>
/// RFC 6962 / RFC 9162 Merkle tree hashing: leaf = SHA-256(0x00 ‖ data), node = SHA-256(0x01 ‖ left ‖ right); the tree
/// of n leaves splits at the largest power of two below n. Perfect subtrees are addressed as (level, index): the one
/// at level l, index i covers leaves [i·2^l, (i+1)·2^l).
/// </summary>
public static class Merkle
{
    public static readonly byte[] EmptyRoot = SHA256.HashData([]);

    public static byte[] LeafHash(ReadOnlySpan<byte> data)
    {
        var buffer = new byte[data.Length + 1];
        data.CopyTo(buffer.AsSpan(1));
        return SHA256.HashData(buffer);
    }

    public static byte[] NodeHash(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right)
    {
        Span<byte> buffer = stackalloc byte[65];
        buffer[0] = 1;
        left.CopyTo(buffer[1..]);
        right.CopyTo(buffer[33..]);
        return SHA256.HashData(buffer);
    }

    /// <summary>The largest power of two strictly below <paramref name="n"/> (n ≥ 2).</summary>
    public static long Split(long n) => 1L << (63 - BitOperations.LeadingZeroCount((ulong)(n - 1)));

    /// <summary>Root of the leaves given by their hashes (the whole tree in memory).</summary>
    public static byte[] Root(IReadOnlyList<byte[]> leafHashes) =>
        leafHashes.Count == 0 ? EmptyRoot : RangeHash(0, leafHashes.Count, (level, index) => PerfectFrom(leafHashes, level, index));

    /// <summary>
    /// MTH of leaves [lo, hi) from perfect subtrees (<paramref name="perfect"/>(level, index)), O(log n) of them.
    /// </summary>
    public static byte[] RangeHash(long lo, long hi, Func<int, long, byte[]> perfect)
    {
        var n = hi - lo;
        if (n <= 0) throw new ArgumentOutOfRangeException(nameof(hi));
        if ((n & (n - 1)) == 0 && lo % n == 0) return perfect(BitOperations.Log2((ulong)n), lo / n);
        var k = Split(n);
        return NodeHash(RangeHash(lo, lo + k, perfect), RangeHash(lo + k, hi, perfect));
    }

    /// <summary>The audit path (RFC 6962 §2.1.1 PATH) of leaf <paramref name="index"/> in the tree of <paramref name="size"/> leaves.</summary>
    public static List<byte[]> InclusionProof(long index, long size, Func<int, long, byte[]> perfect)
    {
        if (index < 0 || index >= size) throw new ArgumentOutOfRangeException(nameof(index));
        var path = new List<byte[]>();
        Path(index, 0, size, perfect, path);
        return path;
    }

    private static void Path(long m, long lo, long hi, Func<int, long, byte[]> perfect, List<byte[]> path)
    {
        var n = hi - lo;
        if (n == 1) return;
        var k = Split(n);
        if (m < k)
        {
            Path(m, lo, lo + k, perfect, path);
            path.Add(RangeHash(lo + k, hi, perfect));
        }
        else
        {
            Path(m - k, lo + k, hi, perfect, path);
            path.Add(RangeHash(lo, lo + k, perfect));
        }
    }

    /// <summary>The perfect subtrees a set of proofs and the root of <paramref name="size"/> leaves read: fetch them in one go.</summary>
    public static HashSet<(int Level, long Index)> NodesFor(IEnumerable<long> indexes, long size)
    {
        var needed = new HashSet<(int, long)>();
        byte[] Record(int level, long index) { needed.Add((level, index)); return EmptyRoot; }
        if (size > 0) RangeHash(0, size, Record);
        foreach (var i in indexes) InclusionProof(i, size, Record);
        return needed;
    }

    /// <summary>RFC 9162 §2.1.3.2: does <paramref name="proof"/> place <paramref name="leafHash"/> at <paramref name="index"/> under <paramref name="root"/>?</summary>
    public static bool VerifyInclusion(long index, long size, byte[] leafHash, IReadOnlyList<byte[]> proof, byte[] root)
    {
        if (index < 0 || index >= size) return false;
        long fn = index, sn = size - 1;
        var r = leafHash;
        foreach (var p in proof)
        {
            if (p.Length != 32 || sn == 0) return false;
            if ((fn & 1) == 1 || fn == sn)
            {
                r = NodeHash(p, r);
                while ((fn & 1) == 0 && fn != 0) { fn >>= 1; sn >>= 1; }
            }
            else r = NodeHash(r, p);
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && r.AsSpan().SequenceEqual(root);
    }

    private static byte[] PerfectFrom(IReadOnlyList<byte[]> leaves, int level, long index)
    {
        if (level == 0) return leaves[(int)index];
        return NodeHash(PerfectFrom(leaves, level - 1, index * 2), PerfectFrom(leaves, level - 1, index * 2 + 1));
    }
}
