using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace IntegrationTests;

/// <summary>
/// A throwaway certificate authority and a server certificate it signed, written as PEM files: what a server needs to
/// serve TLS, and what a client needs to trust it.
/// </summary>
/// <param name="Authority">The CA's certificate (<c>ca.crt</c>): a client's <c>Root Certificate</c>.</param>
/// <param name="Certificate">The server's certificate (<c>server.crt</c>).</param>
/// <param name="PrivateKey">The server's private key (<c>server.key</c>, PKCS#8, mode 0600).</param>
public sealed record TestCertificates(string Authority, string Certificate, string PrivateKey)
{
    /// <summary>Writes a CA and a certificate for <paramref name="hostName"/> (and only it) into <paramref name="directory"/>.</summary>
    public static TestCertificates Create(string directory, string hostName)
    {
        var validFrom = DateTimeOffset.UtcNow.AddHours(-1);
        var validTo = DateTimeOffset.UtcNow.AddDays(1);

        using var authorityKey = RSA.Create(2048);
        var authorityRequest = new CertificateRequest("CN=Throwaway Test Root CA", authorityKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        authorityRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, false, 0, critical: true));
        authorityRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        authorityRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(authorityRequest.PublicKey, critical: false));
        using var authority = authorityRequest.CreateSelfSigned(validFrom, validTo);

        using var serverKey = RSA.Create(2048);
        var serverRequest = new CertificateRequest($"CN={hostName}", serverKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(hostName);
        serverRequest.CertificateExtensions.Add(names.Build());
        serverRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: false, false, 0, critical: true));
        serverRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, critical: true));
        serverRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false)); // serverAuth
        using var server = serverRequest.Create(authority, validFrom, validTo, RandomNumberGenerator.GetBytes(16));

        var certificates = new TestCertificates(
            Path.Combine(directory, "ca.crt"), Path.Combine(directory, "server.crt"), Path.Combine(directory, "server.key"));
        File.WriteAllText(certificates.Authority, authority.ExportCertificatePem());
        File.WriteAllText(certificates.Certificate, server.ExportCertificatePem());
        File.WriteAllText(certificates.PrivateKey, serverKey.ExportPkcs8PrivateKeyPem());
        if (!OperatingSystem.IsWindows())
        {
            // PostgreSQL refuses a key that others may read.
            File.SetUnixFileMode(certificates.PrivateKey, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return certificates;
    }
}
