using System.ComponentModel.DataAnnotations;

namespace Gateway.ClusterCommon.Hosting;

/// <summary>Where a cluster service listens and who may call it, bound from <c>Gateway:Service</c>.</summary>
public sealed class ServiceHostOptions
{
    public const string SectionName = "Gateway:Service";

    /// <summary>gRPC (HTTP/2: h2c, or TLS when <see cref="Tls"/> is set), e.g. <c>127.0.0.1:7102</c>.</summary>
    [Required]
    public string GrpcListen { get; set; } = "";

    /// <summary>HTTP/1.1 for <c>/healthz/live</c>, <c>/healthz/ready</c> and <c>/metrics</c>, e.g.
    /// <c>127.0.0.1:8102</c>.</summary>
    [Required]
    public string HttpListen { get; set; } = "";

    /// <summary>Largest gRPC request accepted, in octets (a scan carries the whole message).</summary>
    [Range(1024, int.MaxValue)]
    public int MaxGrpcMessageBytes { get; set; } = 64 * 1024 * 1024;

    /// <summary>
    /// Bearer token every gRPC call except <c>grpc.health.v1</c> must carry (<c>authorization: Bearer ...</c>).
    /// Prefer <see cref="GrpcTokenFile"/>: a value here sits in the environment of the process.
    /// </summary>
    public string? GrpcToken { get; set; }

    /// <summary>A file whose first line is the gRPC bearer token; re-read when it changes (rotation).</summary>
    public string? GrpcTokenFile { get; set; }

    /// <summary>TLS on the gRPC listener with client certificates required (mutual TLS).</summary>
    public ServiceTlsOptions Tls { get; set; } = new();

    /// <summary>True when callers of the gRPC listener must authenticate (token or client certificate).</summary>
    public bool RequiresCallerAuthentication => !string.IsNullOrEmpty(GrpcToken)
        || !string.IsNullOrEmpty(GrpcTokenFile) || Tls.IsEnabled;
}
