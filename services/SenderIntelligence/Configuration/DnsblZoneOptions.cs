namespace Gateway.SenderIntelligence.Configuration;

/// <summary>One DNS list zone.</summary>
public sealed class DnsblZoneOptions
{
    /// <summary>The zone, e.g. <c>zen.example.org</c>.</summary>
    public string Zone { get; set; } = "";

    /// <summary>Added to the client's listing score when the zone lists it; negative for an allow list.</summary>
    public double Weight { get; set; } = 1.0;

    /// <summary>
    /// Answers that count as "listed": addresses ("127.0.0.2") or ranges ("127.0.0.4-127.0.0.7"). Empty: any
    /// answer in 127.0.0.0/8 (RFC 5782 section 2.1).
    /// </summary>
    public List<string> ReturnCodes { get; set; } = new();

    /// <summary>Whether the zone lists IPv6 addresses (queried in nibble form, RFC 5782 section 2.4).</summary>
    public bool Ipv6 { get; set; } = true;
}
