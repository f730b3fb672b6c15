using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Gateway.MtaEdge.Tests.Smtp.Support;

/// <summary>Self-signed certificates written as PEM files (certificate and PKCS#8 key), for STARTTLS tests.</summary>
public static class TestCertificate
{
    /// <summary>Writes a fresh certificate for <paramref name="subject"/>; returns its thumbprint.</summary>
    public static string Write(string certificateFile, string keyFile, string subject = "mx.gateway.test")
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=" + subject, key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(subject);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(
            DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));

        // Written next to the target and renamed over it, as a certificate manager would.
        File.WriteAllText(certificateFile + ".new", certificate.ExportCertificatePem() + "\n");
        File.WriteAllText(keyFile + ".new", key.ExportPkcs8PrivateKeyPem() + "\n");
        File.Move(keyFile + ".new", keyFile, overwrite: true);
        File.Move(certificateFile + ".new", certificateFile, overwrite: true);
        return certificate.Thumbprint;
    }
}
