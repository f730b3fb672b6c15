namespace Gateway.SenderIntelligence.Dnsbl;

/// <summary>A configured zone and whether its last self-check allows using it.</summary>
public sealed class DnsblZone
{
    private volatile bool _enabled = true;

    public DnsblZone(string name, double weight, ReturnCodeFilter filter, bool ipv6)
    {
        Name = name.Trim().TrimEnd('.').ToLowerInvariant();
        Weight = weight;
        Filter = filter;
        Ipv6 = ipv6;
    }

    public string Name { get; }

    public double Weight { get; }

    public ReturnCodeFilter Filter { get; }

    public bool Ipv6 { get; }

    /// <summary>False after the zone failed its RFC 5782 self-check, until a later check passes.</summary>
    public bool Enabled
    {
        get => _enabled;
        internal set => _enabled = value;
    }
}
