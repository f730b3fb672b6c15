using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Gateway.ClusterCommon.Security;

/// <summary>
/// The private CA of the cluster, loaded from a PEM file: a peer's certificate is trusted only when it chains to
/// one of these roots (the machine's trust store plays no part) and is meant for the use asked.
/// </summary>
public sealed class CertificateAuthority
{
    /// <summary>Extended key usage of TLS clients.</summary>
    public const string ClientAuthentication = "1.3.6.1.5.5.7.3.2";

    /// <summary>Extended key usage of TLS servers.</summary>
    public const string ServerAuthentication = "1.3.6.1.5.5.7.3.1";

    private readonly X509Certificate2Collection _roots;

    private CertificateAuthority(X509Certificate2Collection roots) => _roots = roots;

    public static CertificateAuthority Load(string pemFile)
    {
        var roots = new X509Certificate2Collection();
        roots.ImportFromPemFile(pemFile);
        if (roots.Count == 0)
        {
            throw new CryptographicException($"{pemFile} holds no PEM certificate.");
        }

        return new CertificateAuthority(roots);
    }

    /// <summary>True when <paramref name="certificate"/> chains to one of the roots, is in its validity period
    /// and allows <paramref name="usage"/> (an EKU OID; a certificate without EKUs allows every use).</summary>
    public bool Trusts(X509Certificate2 certificate, string usage)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(_roots);

        // A private CA publishes no revocation lists; short-lived certificates stand in for revocation.
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(new Oid(usage));
        return chain.Build(certificate);
    }
}
