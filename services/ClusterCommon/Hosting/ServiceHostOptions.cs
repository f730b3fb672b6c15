using System.ComponentModel.DataAnnotations;

namespace Gateway.ClusterCommon.Hosting;

/// <summary>Where a cluster service listens, bound from <c>Gateway:Service</c>.</summary>
public sealed class ServiceHostOptions
{
    public const string SectionName = "Gateway:Service";

    /// <summary>gRPC (HTTP/2 without TLS, h2c), e.g. <c>127.0.0.1:7102</c>.</summary>
    [Required]
    public string GrpcListen { get; set; } = "";

    /// <summary>HTTP/1.1 for <c>/healthz/live</c>, <c>/healthz/ready</c> and <c>/metrics</c>, e.g.
    /// <c>127.0.0.1:8102</c>.</summary>
    [Required]
    public string HttpListen { get; set; } = "";

    /// <summary>Largest gRPC request accepted, in octets (a scan carries the whole message).</summary>
    [Range(1024, int.MaxValue)]
    public int MaxGrpcMessageBytes { get; set; } = 64 * 1024 * 1024;
}
