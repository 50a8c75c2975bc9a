using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;

namespace Lending.Api.Evidence;

/// <summary>
/// The lender's sealing key: detached CMS signatures (PKCS #7) over checkpoints and bundle seals, which anyone verifies
/// with the certificate (<c>openssl cms -verify</c>). A certificate from configuration in production; otherwise a
/// development key (ECDSA P-256, self-signed) generated once and kept under <c>.local/evidence</c>.
/// </summary>
public sealed class EvidenceSigner
{
    private readonly X509Certificate2 _certificate;

    public EvidenceSigner(IOptions<Setup.LendingOptions> options, IHostEnvironment environment, ILogger<EvidenceSigner> log)
    {
        var o = options.Value.Evidence;
        if (o.CertificatePath is { Length: > 0 } certPath)
        {
            var key = o.KeyPath is { Length: > 0 } keyPath ? File.ReadAllText(keyPath)
                : throw new InvalidOperationException("Lending:Evidence:KeyPath is required with CertificatePath.");
            _certificate = X509Certificate2.CreateFromPem(File.ReadAllText(certPath), key);
        }
        else
        {
            if (environment.IsProduction())
                throw new InvalidOperationException("Lending:Evidence:CertificatePath and KeyPath are required in production: " +
                                                    "evidence is sealed with the lender's own certificate.");
            var dir = Path.GetFullPath(Path.Combine(environment.ContentRootPath, o.DevelopmentKeyDirectory));
            _certificate = DevelopmentKey(dir);
            log.LogWarning("Evidence is sealed with the development key in {Directory}; configure Lending:Evidence:CertificatePath for real use", dir);
        }
        if (!_certificate.HasPrivateKey) throw new InvalidOperationException("The evidence certificate has no private key.");
    }

    public X509Certificate2 Certificate => _certificate;
    public string CertificatePem => _certificate.ExportCertificatePem();

    /// <summary>A detached CMS signature over <paramref name="content"/>, carrying the signing certificate.</summary>
    public byte[] Sign(byte[] content, DateTimeOffset at)
    {
        var cms = new SignedCms(new ContentInfo(content), detached: true);
        var signer = new CmsSigner(SubjectIdentifierType.IssuerAndSerialNumber, _certificate)
        {
            IncludeOption = X509IncludeOption.EndCertOnly,
            DigestAlgorithm = new Oid("2.16.840.1.101.3.4.2.1"), // SHA-256
        };
        signer.SignedAttributes.Add(new Pkcs9SigningTime(at.UtcDateTime));
        cms.ComputeSignature(signer, silent: true);
        return cms.Encode();
    }

    private static X509Certificate2 DevelopmentKey(string dir)
    {
        var certFile = Path.Combine(dir, "sealing-cert.pem");
        var keyFile = Path.Combine(dir, "sealing-key.pem");
        if (File.Exists(certFile) && File.Exists(keyFile))
            return X509Certificate2.CreateFromPem(File.ReadAllText(certFile), File.ReadAllText(keyFile));

        Directory.CreateDirectory(dir);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=Lending evidence seal (development key), O=Development", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.NonRepudiation, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        using var cert = request.CreateSelfSigned(now.AddDays(-1), now.AddYears(10));
        var keyPem = key.ExportPkcs8PrivateKeyPem();
        File.WriteAllText(keyFile, keyPem);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(keyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.WriteAllText(certFile, cert.ExportCertificatePem());
        return X509Certificate2.CreateFromPem(cert.ExportCertificatePem(), keyPem);
    }
}
