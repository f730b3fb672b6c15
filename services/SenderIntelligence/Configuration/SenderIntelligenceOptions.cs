namespace Gateway.SenderIntelligence.Configuration;

/// <summary>
/// Who may connect and how much, bound from <c>Gateway:Sender</c> and validated at start-up by
/// <see cref="SenderIntelligenceOptionsValidator"/>.
/// </summary>
public sealed class SenderIntelligenceOptions
{
    public const string SectionName = "Gateway:Sender";

    /// <summary>
    /// Addresses or CIDR networks (IPv4 or IPv6) always accepted, with no concurrency limit. An address in
    /// both lists is blocked.
    /// </summary>
    public List<string> AllowList { get; set; } = new();

    /// <summary>Addresses or CIDR networks refused at connect with 554 5.7.1.</summary>
    public List<string> BlockList { get; set; } = new();

    /// <summary>Concurrent SMTP sessions one client address may hold across every edge.</summary>
    public int MaxConnectionsPerIp { get; set; } = 10;

    /// <summary>
    /// How long a connection lease lives unless released first. An edge that crashes never releases its
    /// leases; expiry gives the slots back, so keep this above the longest session the edge allows.
    /// </summary>
    public TimeSpan ConnectionLeaseTime { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// When the shared store (Redis) cannot be reached: true accepts the connection without a lease (mail keeps
    /// flowing, the concurrency limit is not enforced meanwhile); false answers 421 4.3.0 so clients retry later.
    /// </summary>
    public bool FailOpen { get; set; } = true;

    /// <summary>
    /// Longest a connect check waits for the store before treating it as unreachable; the SMTP client is
    /// waiting for its greeting meanwhile.
    /// </summary>
    public TimeSpan StoreTimeout { get; set; } = TimeSpan.FromSeconds(2);
}
