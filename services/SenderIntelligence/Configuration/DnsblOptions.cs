namespace Gateway.SenderIntelligence.Configuration;

/// <summary>DNS block and allow lists (RFC 5782), <c>Gateway:Sender:Global:Dnsbl</c>.</summary>
public sealed class DnsblOptions
{
    /// <summary>
    /// DNS servers to ask ("127.0.0.1:53", "[::1]:5353"); empty uses the system's resolvers. Public list operators
    /// refuse queries from large shared resolvers, so point this at a local caching resolver.
    /// </summary>
    public List<string> Servers { get; set; } = new();

    /// <summary>
    /// Longest the greeting waits for all zones together; a zone that has not answered counts as not listing.
    /// </summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Answers are cached for their TTL, but at least this long ...</summary>
    public TimeSpan MinCacheTime { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>... and at most this long.</summary>
    public TimeSpan MaxCacheTime { get; set; } = TimeSpan.FromHours(1);

    public int MaxCacheEntries { get; set; } = 100_000;

    /// <summary>
    /// How often every zone is checked (RFC 5782 section 5: 127.0.0.2 listed, 127.0.0.1 not); a zone that answers
    /// wrongly is disabled until a later check passes.
    /// </summary>
    public TimeSpan SelfCheckInterval { get; set; } = TimeSpan.FromHours(1);

    public List<DnsblZoneOptions> Zones { get; set; } = new();
}
