using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Platform.EnvTest;

/// <summary>A certificate and its private key, as the PEM text Kubernetes programs read.</summary>
public sealed record PemPair(string Certificate, string PrivateKey);

/// <summary>
/// A self-made CA for one control plane: it signs the API server's serving certificate and the
/// client certificates that are the identities (the API server maps CN to the user name and O
/// to its groups). ECDSA P-256 keys: made in microseconds, read by Go and .NET alike.
/// </summary>
public sealed class CertificateAuthority : IDisposable
{
    private readonly ECDsa _key;
    private readonly X509Certificate2 _certificate;

    public CertificateAuthority(string name)
    {
        _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", _key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        _certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(2));
        CertificatePem = _certificate.ExportCertificatePem();
    }

    public string CertificatePem { get; }

    public X509Certificate2 Certificate => _certificate;

    /// <summary>A server certificate for loopback (127.0.0.1, ::1, localhost) and the given extra names.</summary>
    public PemPair IssueServer(string commonName, params string[] dnsNames)
    {
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddIpAddress(IPAddress.IPv6Loopback);
        names.AddDnsName("localhost");
        foreach (var name in dnsNames) names.AddDnsName(name);
        return Issue(new X500DistinguishedName($"CN={commonName}"), new OidCollection { new Oid("1.3.6.1.5.5.7.3.1") }, names.Build());
    }

    /// <summary>A client certificate: <paramref name="user"/> becomes the user name, <paramref name="groups"/> its groups.</summary>
    public PemPair IssueClient(string user, params string[] groups)
    {
        var subject = new X500DistinguishedNameBuilder();
        foreach (var group in groups) subject.AddOrganizationName(group);
        subject.AddCommonName(user);
        return Issue(subject.Build(), new OidCollection { new Oid("1.3.6.1.5.5.7.3.2") }, null);
    }

    private PemPair Issue(X500DistinguishedName subject, OidCollection usages, X509Extension? alternativeNames)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(usages, false));
        if (alternativeNames is not null) request.CertificateExtensions.Add(alternativeNames);
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7f;
        using var issued = request.Create(_certificate, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1), serial);
        return new PemPair(issued.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
    }

    public void Dispose()
    {
        _certificate.Dispose();
        _key.Dispose();
    }
}
