using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Text;
using System.Text.Json;
using Lending.Api.Evidence;
using Lending.Api.Tests.Infrastructure;
using Lending.Evidence;
using Lending.Projections.Evidence;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using System.Security.Cryptography.X509Certificates;
using Npgsql;

namespace Lending.Api.Tests.Evidence;

/// <summary>The sealed log: every event of the store, in order, in an RFC 6962 tree, signed and stamped at checkpoints.</summary>
public class SealedLogTests(AppFixture app) : ApiTest(app)
{
    private EvidenceLogSchema Schema => Host.Services.GetRequiredService<EvidenceLogSchema>();

    private sealed record StoredLeaf(long Position, long Seq, Guid StreamId, long Version, string Leaf, string LeafJson);

    private async Task<List<StoredLeaf>> Leaves()
    {
        await using var session = App.Store.QuerySession();
        return (await session.QueryAsync<string>($"""
            select json_build_object('position', position, 'seq', seq_id, 'streamId', stream_id, 'version', version,
              'leaf', encode(leaf, 'hex'), 'leafJson', leaf_json)::text from {Schema.Leaves} order by position
            """)).Select(r => JsonSerializer.Deserialize<StoredLeaf>(r, Json)!).ToList();
    }

    private async Task<List<(long Seq, Guid Stream, long Version, string Type, string Timestamp, string Data)>> StoredEvents()
    {
        await using var session = App.Store.QuerySession();
        return (await session.QueryAsync<string>($"""
            select json_build_object('seq', seq_id, 'stream', stream_id, 'version', version, 'type', type,
              'ts', to_char(timestamp at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), 'data', data::text)::text
            from {Schema.Events} order by seq_id
            """)).Select(r => JsonDocument.Parse(r).RootElement)
            .Select(e => (e.GetProperty("seq").GetInt64(), e.GetProperty("stream").GetGuid(), e.GetProperty("version").GetInt64(),
                e.GetProperty("type").GetString()!, e.GetProperty("ts").GetString()!, e.GetProperty("data").GetString()!)).ToList();
    }

    private async Task Sql(string sql)
    {
        await using var connection = new NpgsqlConnection(App.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task Tombstones_of_failed_appends_are_passed_over_and_the_log_goes_on()
    {
        await DefineCashProduct();
        var loanId = await DisburseLoan();
        await AdvanceDays(28);
        // What Marten writes for the sequence numbers of an append that failed (seen under concurrent load, when two writers'
        // inserts collide on one stream version): tombstones, in a stream of their own, each with its sequence as version.
        await Sql($"""
            insert into lending_events.mt_streams (id, version, timestamp, created, tenant_id, is_archived)
              values ('{Guid.NewGuid()}', 0, now(), now(), '*DEFAULT*', false);
            insert into lending_events.mt_events (seq_id, id, stream_id, version, data, type, tenant_id, timestamp, mt_dotnet_type, is_archived)
              select n, gen_random_uuid(), (select id from lending_events.mt_streams where version = 0 order by created desc limit 1), n,
                     jsonb_build_object(), '{JasperFx.Events.Tombstone.Name}', '*DEFAULT*', '-infinity', 'JasperFx.Events.Tombstone, JasperFx.Events', false
              from (select nextval('lending_events.mt_events_sequence') n from generate_series(1, 3)) s;
            """);
        // Above the sealed head too, a tombstone cannot become an event: a transaction doing so while the log reads past it
        // would leave an event below the head without a leaf.
        var early = await Assert.ThrowsAsync<PostgresException>(() => Sql(
            $"update {Schema.Events} set type = 'payment_received', data = '{{\"amount\": 1}}' where type = '{JasperFx.Events.Tombstone.Name}'"));
        Assert.Contains("evidence:", early.MessageText);
        await Pay(loanId, 10m, "after-the-race");
        await WaitForProjections();

        var events = await StoredEvents();
        Assert.Equal(3, events.Count(e => e.Type == JasperFx.Events.Tombstone.Name));
        Assert.Equal(events.Where(e => e.Type != JasperFx.Events.Tombstone.Name).Select(e => e.Seq), (await Leaves()).Select(l => l.Seq));

        // A tombstone below the last sealed event has no leaf, and still cannot be turned into an event or deleted.
        foreach (var sql in new[]
                 {
                     $"update {Schema.Events} set type = 'payment_received', data = '{{\"amount\": 1}}' where type = '{JasperFx.Events.Tombstone.Name}'",
                     $"delete from {Schema.Events} where type = '{JasperFx.Events.Tombstone.Name}'",
                 })
        {
            var refused = await Assert.ThrowsAsync<PostgresException>(() => Sql(sql));
            Assert.Contains("evidence:", refused.MessageText);
        }
    }

    [Fact]
    public async Task Every_event_is_a_leaf_in_store_order_chained_per_stream_and_the_tree_is_RFC_6962()
    {
        await DefineCashProduct();
        var loanId = await DisburseLoan();
        await AdvanceDays(35);
        await Pay(loanId, 100m, "P-1");
        await WaitForProjections();

        var leaves = await Leaves();
        var events = await StoredEvents();
        Assert.DoesNotContain(events, e => e.Type == JasperFx.Events.Tombstone.Name);
        Assert.Equal(events.Select(e => e.Seq), leaves.Select(l => l.Seq));
        Assert.Equal(Enumerable.Range(0, leaves.Count).Select(i => (long)i), leaves.Select(l => l.Position));
        var previous = new Dictionary<Guid, string>();
        foreach (var (e, stored) in events.Zip(leaves))
        {
            var leaf = EventLeaf.For(e.Seq, e.Stream, e.Version, e.Type, e.Timestamp, e.Data, previous.GetValueOrDefault(e.Stream));
            Assert.Equal(Hex.Of(leaf.Hash()), stored.Leaf);
            Assert.Equal(leaf.CanonicalJson(), stored.LeafJson);
            previous[e.Stream] = stored.Leaf;
        }
        var loanLeaves = leaves.Where(l => l.StreamId == loanId).ToList();
        Assert.Equal(Enumerable.Range(1, loanLeaves.Count).Select(i => (long)i), loanLeaves.Select(l => l.Version));
        Assert.Contains("\"businessDate\":\"2026-01-31\"", loanLeaves[0].LeafJson);
        Assert.Contains("\"prevLeaf\":null", loanLeaves[0].LeafJson);

        var checkpoint = (await Host.Services.GetRequiredService<CheckpointSealer>().SealAsync(CancellationToken.None))!;
        Assert.Equal(leaves.Count, checkpoint.TreeSize);
        Assert.Equal(Hex.Of(Merkle.Root(leaves.Select(l => Hex.Parse(l.Leaf)).ToList())), Hex.Of(checkpoint.Root));
        Assert.Contains($"\"rootHash\":\"{Hex.Of(checkpoint.Root)}\"", checkpoint.Statement);
        Assert.Contains($"\"treeSize\":{leaves.Count}", checkpoint.Statement);

        // Signed with the lender's key: the signature holds for the statement and not for any other.
        var signer = Host.Services.GetRequiredService<EvidenceSigner>().Certificate;
        var cms = new SignedCms(new ContentInfo(Encoding.UTF8.GetBytes(checkpoint.Statement)), detached: true);
        cms.Decode(checkpoint.Signature);
        cms.CheckSignature(new X509Certificate2Collection(signer), verifySignatureOnly: true);
        Assert.Equal(signer.RawData, cms.SignerInfos[0].Certificate!.RawData);
        var forged = new SignedCms(new ContentInfo(Encoding.UTF8.GetBytes(checkpoint.Statement.Replace("\"treeSize\":", "\"treeSize\":1"))), detached: true);
        forged.Decode(checkpoint.Signature);
        Assert.ThrowsAny<CryptographicException>(() => forged.CheckSignature(new X509Certificate2Collection(signer), verifySignatureOnly: true));

        // Stamped by the third party at the clock's time, over the statement's SHA-256.
        Assert.True(Rfc3161TimestampToken.TryDecode(checkpoint.TimestampToken!, out var token, out _));
        Assert.True(token!.VerifySignatureForHash(SHA256.HashData(Encoding.UTF8.GetBytes(checkpoint.Statement)), HashAlgorithmName.SHA256,
            out var tsa, [App.Tsa.Certificate]));
        Assert.Equal(App.Tsa.Certificate.RawData, tsa!.RawData);
        Assert.Equal(App.Clock.GetUtcNow().ToUnixTimeMilliseconds(), token.TokenInfo.Timestamp.ToUnixTimeMilliseconds());

        // The same size again is the same checkpoint.
        Assert.Equal(checkpoint.Statement, (await Host.Services.GetRequiredService<CheckpointSealer>().SealAsync(CancellationToken.None))!.Statement);
    }

    [Fact]
    public async Task A_checkpoint_is_sealed_every_few_minutes_of_the_clock_when_the_log_has_grown()
    {
        await DefineCashProduct();
        await DisburseLoan();
        await WaitForProjections();
        var sealer = Host.Services.GetRequiredService<CheckpointSealer>();
        await using var session = App.Store.QuerySession();
        var size = await sealer.SealedSizeAsync(session, CancellationToken.None);
        Assert.Null(await sealer.FirstCoveringAsync(session, size - 1, CancellationToken.None));

        App.Clock.Advance(TimeSpan.FromMinutes(6)); // Lending:Evidence:CheckpointMinutes is 5
        Checkpoint? sealedByTimer = null;
        for (var i = 0; i < 100 && sealedByTimer is null; i++)
        {
            await Task.Delay(100);
            sealedByTimer = await sealer.FirstCoveringAsync(session, size - 1, CancellationToken.None);
        }
        Assert.NotNull(sealedByTimer);
        Assert.Equal(size, sealedByTimer.TreeSize);
        Assert.NotNull(sealedByTimer.TimestampToken);
    }

    [Fact]
    public async Task A_timestamp_token_from_anyone_but_the_configured_authority_is_refused()
    {
        await DefineCashProduct();
        await DisburseLoan();
        await WaitForProjections();
        var evidence = Host.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Lending.Api.Setup.LendingOptions>>().Value.Evidence;
        var pinned = evidence.TimestampAuthorityCertificatePath;
        var other = Path.Combine(App.EvidenceKeyDirectory, "another-tsa.pem");
        using (var key = ECDsa.Create(ECCurve.NamedCurves.nistP256))
            await File.WriteAllTextAsync(other, new CertificateRequest("CN=Another Time Stamping Authority", key, HashAlgorithmName.SHA256)
                .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1)).ExportCertificatePem());
        var sealer = Host.Services.GetRequiredService<CheckpointSealer>();
        try
        {
            evidence.TimestampAuthorityCertificatePath = other;
            var refused = await Assert.ThrowsAsync<CryptographicException>(() => sealer.SealAsync(CancellationToken.None));
            Assert.Contains("not by the configured TSA", refused.Message);
        }
        finally { evidence.TimestampAuthorityCertificatePath = pinned; }
        Assert.NotNull((await sealer.SealAsync(CancellationToken.None))!.TimestampToken);
    }

    [Fact]
    public async Task A_sealed_event_or_leaf_cannot_be_changed_or_deleted_and_a_replay_changes_nothing()
    {
        await DefineCashProduct();
        var loanId = await DisburseLoan();
        await WaitForProjections();
        var before = await Leaves();
        Assert.NotEmpty(before);

        foreach (var sql in new[]
                 {
                     $"update {Schema.Events} set data = jsonb_set(data, '{{principal}}', '1') where stream_id = '{loanId}' and version = 1",
                     $"delete from {Schema.Events} where stream_id = '{loanId}'",
                     $"update {Schema.Leaves} set leaf = '\\x00' where position = 0",
                     $"delete from {Schema.Leaves}",
                 })
        {
            var refused = await Assert.ThrowsAsync<PostgresException>(() => Sql(sql));
            Assert.Contains("evidence:", refused.MessageText);
        }

        // Replaying events already sealed (a rebuild, a rewound progression) leaves the log as it is.
        await using (var session = App.Store.LightweightSession())
        {
            var replayed = await session.Events.FetchStreamAsync(loanId);
            await new EvidenceLogProjection(Schema).ApplyAsync(session, replayed, CancellationToken.None);
            await session.SaveChangesAsync();
        }
        Assert.Equal(before, await Leaves());

        await Pay(loanId, 10m, "P-after");
        await WaitForProjections();
        var after = await Leaves();
        Assert.Equal(before, after.Take(before.Count));
        Assert.True(after.Count > before.Count, "later events are sealed after the others");
        Assert.Equal(after.Select(l => l.Seq), (await StoredEvents()).Select(e => e.Seq));
    }
}

