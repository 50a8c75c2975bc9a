using System.Text;
using Lending.Evidence;

namespace Lending.Domain.Tests.Evidence;

/// <summary>RFC 6962 hashing against the published test vectors (certificate-transparency, transparency-dev/merkle).</summary>
public class MerkleTests
{
    private static readonly string[] Inputs =
        ["", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"];

    private static readonly string[] Roots =
    [
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ];

    private static List<byte[]> Leaves(int n) => Inputs.Take(n).Select(h => Merkle.LeafHash(Convert.FromHexString(h))).ToList();

    [Fact]
    public void Roots_match_the_RFC_6962_vectors()
    {
        Assert.Equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", Hex.Of(Merkle.Root([])));
        for (var n = 1; n <= 8; n++) Assert.Equal(Roots[n - 1], Hex.Of(Merkle.Root(Leaves(n))));
    }

    [Fact]
    public void Every_leaf_of_every_tree_size_up_to_40_is_proved_and_a_wrong_proof_fails()
    {
        var leaves = Enumerable.Range(0, 40).Select(i => Merkle.LeafHash(Encoding.UTF8.GetBytes($"event {i}"))).ToList();
        for (var size = 1; size <= 40; size++)
        {
            var tree = leaves.Take(size).ToList();
            var root = Merkle.Root(tree);
            byte[] Perfect(int level, long index) => Merkle.Root(tree.Skip((int)(index << level)).Take(1 << level).ToList());
            for (var i = 0; i < size; i++)
            {
                var proof = Merkle.InclusionProof(i, size, Perfect);
                Assert.True(Merkle.VerifyInclusion(i, size, tree[i], proof, root), $"leaf {i} of {size}");
                Assert.False(Merkle.VerifyInclusion(i, size, leaves[(i + 1) % 40], proof, root));
                if (size > 1) Assert.False(Merkle.VerifyInclusion((i + 1) % size, size, tree[i], proof, root));
            }
        }
    }

    [Fact]
    public void The_nodes_a_proof_needs_are_known_before_fetching_them()
    {
        var needed = Merkle.NodesFor([5], 13);
        // Root of 13 = [0,8) [8,12) [12]; the path of leaf 5 = leaf 4, [6,8), [0,4), [8,13).
        Assert.Contains((3, 0L), needed);
        Assert.Contains((2, 2L), needed);
        Assert.Contains((0, 12L), needed);
        Assert.Contains((0, 4L), needed);
        Assert.Contains((1, 3L), needed);
        Assert.Contains((2, 0L), needed);
    }

    [Fact]
    public void Canonical_json_sorts_members_drops_whitespace_and_keeps_numbers_as_written()
    {
        Assert.Equal("""{"a":[1.50,true,null],"b":"张三\n\"x\"","c\u0001":{"y":2,"z":1}}""",
            CanonicalJson.Canonicalize("{ \"c\\u0001\": {\"z\":1, \"y\":2}, \"b\": \"\\u5f20\\u4e09\\n\\\"x\\\"\", \"a\": [1.50, true, null] }"));
    }

    [Fact]
    public void A_leaf_commits_to_every_field()
    {
        var leaf = EventLeaf.For(7, Guid.Parse("0195d0c4-0000-7000-8000-000000000042"), 3, "payment_received", "2026-02-01T01:30:00.000000Z",
            """{"businessDate":"2026-02-01","amount":100.00}""", null);
        Assert.Equal("2026-02-01", leaf.BusinessDate);
        var hash = Hex.Of(leaf.Hash());
        foreach (var changed in new[]
                 {
                     leaf with { Seq = 8 }, leaf with { Version = 4 }, leaf with { Type = "x" }, leaf with { BusinessDate = "2026-02-02" },
                     leaf with { Timestamp = "2026-02-01T01:30:00.000001Z" }, leaf with { PrevLeaf = new string('0', 64) },
                     leaf with { StreamId = Guid.Empty },
                     EventLeaf.For(7, leaf.StreamId, 3, leaf.Type, leaf.Timestamp, """{"businessDate":"2026-02-01","amount":100.01}""", null),
                 })
            Assert.NotEqual(hash, Hex.Of(changed.Hash()));
        // Member order and whitespace in the data do not matter.
        Assert.Equal(hash, Hex.Of(EventLeaf.For(7, leaf.StreamId, 3, leaf.Type, leaf.Timestamp,
            """{ "amount": 100.00, "businessDate": "2026-02-01" }""", null).Hash()));
    }
}
