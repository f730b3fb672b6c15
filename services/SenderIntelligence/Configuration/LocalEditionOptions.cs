namespace Gateway.SenderIntelligence.Configuration;

/// <summary>
/// The Local edition: this gateway's own policy file, tiers and per-sender limits (<c>Gateway:Sender:Local</c>).
/// </summary>
public sealed class LocalEditionOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// The YAML policy file (tiers and ordered rules). Empty: the built-in policy (default tier limits, loopback
    /// trusted). The file is reloaded when it changes; an invalid file is refused and the running policy stays.
    /// </summary>
    public string PolicyFile { get; set; } = "";

    /// <summary>How often the policy file is checked for changes (besides file-system notifications).</summary>
    public TimeSpan PolicyPollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long a sender's standing (tier, first seen, reputation) read from the store is reused before it is read
    /// again. Every check's answer refreshes it, so a busy sender is never more than one check behind.
    /// </summary>
    public TimeSpan StandingCacheTime { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Most senders whose standing is kept in memory.</summary>
    public int StandingCacheEntries { get; set; } = 100_000;

    /// <summary>How often administrator decisions (approve, block) made on other nodes are picked up.</summary>
    public TimeSpan OverrideRefreshInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Spam-trap addresses: RCPT to one is refused and counts heavily against the sender.</summary>
    public List<string> SpamTraps { get; set; } = new();
}
