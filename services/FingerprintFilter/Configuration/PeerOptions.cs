using System.ComponentModel.DataAnnotations;

namespace Gateway.FingerprintFilter.Configuration;

/// <summary>One peer site this site imports convictions from.</summary>
public sealed class PeerOptions
{
    /// <summary>The peer's site id; its batches must carry it.</summary>
    [Required]
    [RegularExpression("^[A-Za-z0-9._-]{1,64}$")]
    public string SiteId { get; set; } = "";

    /// <summary>The peer's gRPC address (e.g. https://gw.peer.example:5001); empty imports only files.</summary>
    public string Url { get; set; } = "";

    /// <summary>PEM with the peer's ECDSA P-256 public key (SubjectPublicKeyInfo), inline or as a file path.</summary>
    [Required]
    public string PublicKey { get; set; } = "";

    /// <summary>
    /// How much the peer's convictions count here, 0..1, times the peer's own confidence. At the
    /// conviction weight (1 by default) the peer convicts at once; below it, it needs other reports.
    /// </summary>
    [Range(0, 1)]
    public double Weight { get; set; } = 0.5;

    /// <summary>Whether this site keeps a streaming subscription to the peer open.</summary>
    public bool Subscribe { get; set; } = true;

    /// <summary>This site's id as sent to the peer when subscribing.</summary>
    public string SubscriberId { get; set; } = "";

    /// <summary>
    /// A file holding the bearer token the peer's gRPC listener requires (that site's
    /// <c>Gateway:Service:GrpcToken</c>), read at each connection attempt so a rotated token is picked up; empty
    /// sends none. Only over https, or http to a loopback address: a token must not cross a network in clear.
    /// </summary>
    public string TokenFile { get; set; } = "";
}
