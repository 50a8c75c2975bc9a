using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Nist;
using Org.BouncyCastle.Cms;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tsp;
using Org.BouncyCastle.Utilities.Collections;
using Org.BouncyCastle.X509;
using BcAttribute = Org.BouncyCastle.Asn1.Cms.Attribute;
using BcAttributeTable = Org.BouncyCastle.Asn1.Cms.AttributeTable;
using BcCmsAttributes = Org.BouncyCastle.Asn1.Cms.CmsAttributes;
using BcTime = Org.BouncyCastle.Asn1.Cms.Time;

namespace Lending.Api.Tests.Infrastructure;

/// <summary>
/// A local RFC 3161 timestamp authority (BouncyCastle's TSP) standing in for a third-party TSA: it answers
/// <c>application/timestamp-query</c> POSTs with tokens signed by its own certificate (critical EKU timeStamping), at the
/// time of the given clock.
/// </summary>
public sealed class StubTimestampAuthority : LocalHttpStub
{
    public const string Policy = "1.3.6.1.4.1.99999.3161.1";
    private static readonly IList<string> Accepted = [TspAlgorithms.Sha256, TspAlgorithms.Sha384, TspAlgorithms.Sha512];
    private readonly TimeProvider _clock;
    private readonly Org.BouncyCastle.X509.X509Certificate _bcCert;
    private readonly AsymmetricKeyParameter _bcKey;
    private long _serial;

    public string Url => $"http://127.0.0.1:{Port}/tsa";
    public X509Certificate2 Certificate { get; }
    public int Stamped;

    public StubTimestampAuthority(TimeProvider clock)
    {
        _clock = clock;
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=Test Time Stamping Authority", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.8")], critical: true));
        var now = DateTimeOffset.UtcNow;
        Certificate = request.CreateSelfSigned(now.AddYears(-5), now.AddYears(5));
        _bcCert = new X509CertificateParser().ReadCertificate(Certificate.RawData);
        _bcKey = PrivateKeyFactory.CreateKey(Certificate.GetECDsaPrivateKey()!.ExportPkcs8PrivateKey());
        Start();
    }

    protected override async Task Answer(HttpListenerContext context)
    {
        using var body = new MemoryStream();
        await context.Request.InputStream.CopyToAsync(body);
        var response = Respond(body.ToArray(), _clock.GetUtcNow());
        Interlocked.Increment(ref Stamped);
        context.Response.ContentType = "application/timestamp-reply";
        await context.Response.OutputStream.WriteAsync(response);
        context.Response.Close();
    }

    private byte[] Respond(byte[] requestDer, DateTimeOffset now)
    {
        var request = new TimeStampRequest(requestDer);
        var genTime = now.UtcDateTime;
        // BouncyCastle would stamp the signing time from the machine's clock; the TSA's clock is the test's.
        var signedAttributes = new BcAttributeTable(new Asn1EncodableVector(
            new BcAttribute(BcCmsAttributes.SigningTime, new DerSet(new BcTime(genTime)))));
        var signer = new SignerInfoGeneratorBuilder()
            .WithSignedAttributeGenerator(new DefaultSignedAttributeTableGenerator(signedAttributes))
            .Build(new Asn1SignatureFactory("SHA256WITHECDSA", _bcKey), _bcCert);
        var tokens = new TimeStampTokenGenerator(signer, Asn1DigestFactory.Get(NistObjectIdentifiers.IdSha256),
            new DerObjectIdentifier(Policy), isIssuerSerialIncluded: true) { Resolution = Resolution.R_MILLISECONDS };
        tokens.SetCertificates(CollectionUtilities.CreateStore(new[] { _bcCert }));
        return new TimeStampResponseGenerator(tokens, Accepted)
            .Generate(request, BigInteger.ValueOf(Interlocked.Increment(ref _serial)), genTime).GetEncoded();
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Certificate.Dispose();
    }
}
