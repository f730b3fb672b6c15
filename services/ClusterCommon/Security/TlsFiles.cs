using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Gateway.ClusterCommon.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace Gateway.ClusterCommon.Security;

/// <summary>Turns the PEM files of the TLS settings into server and client TLS options (TLS 1.2 and 1.3
/// only).</summary>
public static class TlsFiles
{
    public const SslProtocols Protocols = SslProtocols.Tls12 | SslProtocols.Tls13;

    /// <summary>Kestrel HTTPS for the gRPC listener: a certificate from the cluster CA is required of every
    /// caller.</summary>
    public static HttpsConnectionAdapterOptions ServerOptions(ServiceTlsOptions tls)
    {
        var authority = CertificateAuthority.Load(tls.ClientCaFile!);
        return new HttpsConnectionAdapterOptions
        {
            ServerCertificate = LoadCertificate(tls.CertificateFile!, tls.KeyFile!),
            SslProtocols = Protocols,
            ClientCertificateMode = ClientCertificateMode.RequireCertificate,
            CheckCertificateRevocation = false,

            // The errors Kestrel passes come from the machine's trust store, which does not know the private CA.
            ClientCertificateValidation = (certificate, _, _) =>
                authority.Trusts(certificate, CertificateAuthority.ClientAuthentication),
        };
    }

    /// <summary>TLS of a gRPC client: its own certificate (when given) and the CA the server's certificate
    /// must chain to (when given; else the machine's trust store). The server's name is always checked.</summary>
    public static SslClientAuthenticationOptions ClientOptions(string? certificateFile, string? keyFile,
        string? caFile)
    {
        var options = new SslClientAuthenticationOptions { EnabledSslProtocols = Protocols };
        if (!string.IsNullOrEmpty(certificateFile))
        {
            options.ClientCertificates = [LoadCertificate(certificateFile, keyFile!)];
        }

        if (!string.IsNullOrEmpty(caFile))
        {
            var authority = CertificateAuthority.Load(caFile);
            options.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                (errors & (SslPolicyErrors.RemoteCertificateNameMismatch
                    | SslPolicyErrors.RemoteCertificateNotAvailable)) == 0
                && certificate is not null
                && authority.Trusts(certificate as X509Certificate2
                        ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()),
                    CertificateAuthority.ServerAuthentication);
        }

        return options;
    }

    private static X509Certificate2 LoadCertificate(string certificateFile, string keyFile)
    {
        using var pem = X509Certificate2.CreateFromPemFile(certificateFile, keyFile);

        // An ephemeral PEM key cannot be used by every TLS backend; a PKCS#12 round trip gives a usable one.
        return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
    }
}
