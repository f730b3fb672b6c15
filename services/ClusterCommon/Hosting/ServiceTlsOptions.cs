namespace Gateway.ClusterCommon.Hosting;

/// <summary>
/// Mutual TLS on a service's gRPC listener, bound from <c>Gateway:Service:Tls</c>: the server certificate and
/// key (PEM), and the CA whose certificates callers must present. Set all three or none.
/// </summary>
public sealed class ServiceTlsOptions
{
    /// <summary>PEM certificate (chain) of the service.</summary>
    public string? CertificateFile { get; set; }

    /// <summary>PEM private key of <see cref="CertificateFile"/>.</summary>
    public string? KeyFile { get; set; }

    /// <summary>PEM CA certificate(s); a caller's certificate must chain to one of them.</summary>
    public string? ClientCaFile { get; set; }

    public bool IsEnabled => !string.IsNullOrEmpty(CertificateFile) || !string.IsNullOrEmpty(KeyFile)
        || !string.IsNullOrEmpty(ClientCaFile);
}
