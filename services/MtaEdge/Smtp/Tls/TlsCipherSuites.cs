using System.Net.Security;

namespace Gateway.MtaEdge.Smtp.Tls;

/// <summary>
/// The suites the STARTTLS listener accepts: TLS 1.3's three, and for TLS 1.2 only ephemeral key exchange with AEAD
/// encryption (the "intermediate" set of current server guidance such as Mozilla's). Left to OpenSSL's defaults,
/// .NET on Linux also accepted CBC suites with SHA-1 and SHA-2 MACs and static RSA key exchange.
/// </summary>
public static class TlsCipherSuites
{
    private static readonly TlsCipherSuite[] Allowed =
    [
        TlsCipherSuite.TLS_AES_128_GCM_SHA256,
        TlsCipherSuite.TLS_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_CHACHA20_POLY1305_SHA256,
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
        TlsCipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
        TlsCipherSuite.TLS_DHE_RSA_WITH_AES_128_GCM_SHA256,
        TlsCipherSuite.TLS_DHE_RSA_WITH_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
    ];

    /// <summary>
    /// The policy for <see cref="SslServerAuthenticationOptions.CipherSuitesPolicy"/>, or null where .NET cannot set
    /// one (Windows: SChannel's own defaults, which exclude these suites, apply).
    /// </summary>
    public static CipherSuitesPolicy? ServerPolicy { get; } =
        OperatingSystem.IsLinux() || OperatingSystem.IsFreeBSD() ? new CipherSuitesPolicy(Allowed) : null;
}
