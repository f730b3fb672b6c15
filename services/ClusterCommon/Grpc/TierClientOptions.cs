using System.ComponentModel.DataAnnotations;

namespace Gateway.ClusterCommon.Grpc;

/// <summary>
/// How a service reaches one tier over gRPC, bound from <c>Gateway:Cluster:&lt;Tier&gt;</c>
/// (SenderIntelligence, FingerprintFilter, RetroRemediation).
/// </summary>
public sealed class TierClientOptions
{
    public const string SectionPrefix = "Gateway:Cluster:";

    /// <summary>The tier's gRPC endpoint, e.g. <c>http://127.0.0.1:7102</c> (h2c) or an https URL.</summary>
    [Required]
    public string Address { get; set; } = "";

    /// <summary>
    /// How long one call may take, connection included. A call past it fails with DEADLINE_EXCEEDED, and the
    /// edge answers the client 4xx (or goes on, when <see cref="FailOpen"/> is set).
    /// </summary>
    public TimeSpan Deadline { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// When the tier cannot answer in time (unreachable, deadline, overloaded), go on as if it had said
    /// "accept" instead of deferring the client. Only calls with a safe neutral answer fail open: connect
    /// checks, lease releases and content scans; reports and lookups always fail.
    /// </summary>
    public bool FailOpen { get; set; }

    /// <summary>Largest reply accepted, in octets.</summary>
    [Range(1024, int.MaxValue)]
    public int MaxReceiveMessageBytes { get; set; } = 64 * 1024 * 1024;

    /// <summary>
    /// Bearer token sent with every call (<c>authorization</c> metadata). When unset here it comes from
    /// <c>Gateway:Cluster:GrpcToken[File]</c>, then from the service's own <c>Gateway:Service:GrpcToken[File]</c>
    /// (one shared token for the whole cluster is the usual set-up).
    /// </summary>
    public string? GrpcToken { get; set; }

    /// <summary>A file whose first line is the token; re-read when it changes.</summary>
    public string? GrpcTokenFile { get; set; }

    /// <summary>PEM client certificate for mutual TLS (an <c>https</c> address); falls back to
    /// <c>Gateway:Cluster:Tls:CertificateFile</c>.</summary>
    public string? CertificateFile { get; set; }

    /// <summary>PEM key of <see cref="CertificateFile"/>; falls back to <c>Gateway:Cluster:Tls:KeyFile</c>.</summary>
    public string? KeyFile { get; set; }

    /// <summary>PEM CA the tier's server certificate must chain to; falls back to
    /// <c>Gateway:Cluster:Tls:CaFile</c>, else the machine's trust store.</summary>
    public string? CaFile { get; set; }
}
