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
}
