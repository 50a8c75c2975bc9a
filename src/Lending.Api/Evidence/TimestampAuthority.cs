using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;

namespace Lending.Api.Evidence;

/// <summary>
/// An RFC 3161 timestamp authority client: the TSA, a third party, signs that a hash existed at a time. The token is
/// checked (hash, nonce, signature) before it is kept.
/// </summary>
public sealed class TimestampAuthority(HttpClient http, IOptions<Setup.LendingOptions> options)
{
    public bool Configured => !string.IsNullOrWhiteSpace(options.Value.Evidence.TimestampAuthorityUrl);

    private X509Certificate2? Pinned() => options.Value.Evidence.TimestampAuthorityCertificatePath is { Length: > 0 } path
        ? X509Certificate2.CreateFromPem(File.ReadAllText(path)) : null;

    /// <summary>The token over SHA-256(<paramref name="content"/>), DER-encoded.</summary>
    public async Task<byte[]> StampAsync(byte[] content, CancellationToken ct)
    {
        var hash = SHA256.HashData(content);
        var nonce = RandomNumberGenerator.GetBytes(16);
        var request = Rfc3161TimestampRequest.CreateFromHash(hash, HashAlgorithmName.SHA256, requestedPolicyId: null, nonce: nonce,
            requestSignerCertificates: true);
        using var body = new ByteArrayContent(request.Encode());
        body.Headers.ContentType = new MediaTypeHeaderValue("application/timestamp-query");
        using var response = await http.PostAsync(options.Value.Evidence.TimestampAuthorityUrl, body, ct);
        response.EnsureSuccessStatusCode();
        var token = request.ProcessResponse(await response.Content.ReadAsByteArrayAsync(ct), out _);
        var pinned = Pinned();
        if (!token.VerifySignatureForHash(hash, HashAlgorithmName.SHA256, out var signer, pinned is null ? null : new X509Certificate2Collection(pinned)))
            throw new CryptographicException("The timestamp authority's token does not verify.");
        // Anyone between the service and the TSA could answer with a token of their own: only the TSA's certificate will do.
        if (pinned is not null && !signer!.RawData.AsSpan().SequenceEqual(pinned.RawData))
            throw new CryptographicException($"The timestamp token is signed by {signer.Subject}, not by the configured TSA {pinned.Subject}.");
        return token.AsSignedCms().Encode();
    }
}
