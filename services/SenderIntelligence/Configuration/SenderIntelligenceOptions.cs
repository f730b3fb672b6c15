namespace Gateway.SenderIntelligence.Configuration;

/// <summary>
/// Who may connect and how much, bound from <c>Gateway:Sender</c> and validated at start-up by
/// <see cref="SenderIntelligenceOptionsValidator"/>. The two editions are switched separately: <see cref="Global"/>
/// (DNS block/allow lists, reputation feeds, shared reputation) and <see cref="Local"/> (policy file, tiers and
/// per-sender QoS, on top of Global).
/// </summary>
public sealed class SenderIntelligenceOptions
{
    public const string SectionName = "Gateway:Sender";

    /// <summary>
    /// Addresses or CIDR networks (IPv4 or IPv6) always accepted, with no limits and no global checks. An address
    /// in both lists is blocked.
    /// </summary>
    public List<string> AllowList { get; set; } = new();

    /// <summary>Addresses or CIDR networks refused at connect with 554 5.7.1.</summary>
    public List<string> BlockList { get; set; } = new();

    /// <summary>
    /// How long a connection lease (and the session's counters) lives unless released first. An edge that
    /// crashes never releases its leases; expiry gives the slots back, so keep this above the longest session
    /// the edge allows.
    /// </summary>
    public TimeSpan ConnectionLeaseTime { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// This gateway's name in its connection leases, the same across restarts, so a restarted gateway gives back
    /// the leases its killed predecessor held. Empty: derived from the host name and Gateway:DataDir. Set it when
    /// those change between restarts (containers with new host names); no two running gateways may share one.
    /// </summary>
    public string NodeId { get; set; } = "";

    /// <summary>
    /// When the shared store (Redis) cannot be reached: true accepts without limits (mail keeps flowing, limits
    /// are not enforced meanwhile); false defers (421 4.3.0 at connect, 451 4.3.0 later) so clients retry.
    /// </summary>
    public bool FailOpen { get; set; } = true;

    /// <summary>
    /// Longest a check waits for the store before treating it as unreachable; the SMTP client is waiting
    /// meanwhile.
    /// </summary>
    public TimeSpan StoreTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// After the store failed, how long checks skip it (taking the FailOpen path at once) before one check tries it
    /// again; a session then does not wait a full <see cref="StoreTimeout"/> per command during an outage. Zero: try
    /// the store on every check.
    /// </summary>
    public TimeSpan StoreRetryInterval { get; set; } = TimeSpan.FromSeconds(1);

    public LocalEditionOptions Local { get; set; } = new();

    public DynamicQosOptions Dynamic { get; set; } = new();

    public GlobalEditionOptions Global { get; set; } = new();

    public PostfixPolicyOptions PostfixPolicy { get; set; } = new();
}
