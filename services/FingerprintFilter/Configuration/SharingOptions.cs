using System.ComponentModel.DataAnnotations;

namespace Gateway.FingerprintFilter.Configuration;

/// <summary>
/// Sharing convictions between sites (<c>Gateway:Fingerprint:Sharing</c>). This site signs its feed
/// with <see cref="SigningKeyFile"/>; it imports only from the peers listed, each with its own weight.
/// </summary>
public sealed class SharingOptions
{
    /// <summary>This site's name in its feed; empty turns the feed off.</summary>
    [RegularExpression("^[A-Za-z0-9._-]{0,64}$")]
    public string SiteId { get; set; } = "";

    /// <summary>PEM file with this site's ECDSA P-256 private key (PKCS#8 or SEC1).</summary>
    public string SigningKeyFile { get; set; } = "";

    /// <summary>Events per feed batch at most.</summary>
    [Range(1, 10_000)]
    public int MaxBatchEvents { get; set; } = 500;

    /// <summary>Events kept in this site's feed; a peer further behind gets what is left.</summary>
    [Range(100, 100_000_000)]
    public int MaxFeedEvents { get; set; } = 1_000_000;

    /// <summary>
    /// Subscriber ids allowed to read the feed; empty allows everyone (the feed is signed and one-way).
    /// </summary>
    public List<string> AllowedSubscribers { get; set; } = [];

    /// <summary>How often an idle subscription is sent an empty batch (keeps proxies from closing it).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(30);

    public List<PeerOptions> Peers { get; set; } = [];
}
