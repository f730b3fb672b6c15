using System.Net;

namespace Gateway.SenderIntelligence.Dnsbl;

public enum DnsAnswerStatus
{
    /// <summary>The name exists: the addresses are the zone's answer.</summary>
    Found,

    /// <summary>NXDOMAIN or no A record: not listed.</summary>
    NotFound,

    /// <summary>The server did not answer in time.</summary>
    Timeout,

    /// <summary>SERVFAIL, REFUSED, a network error: unknown.</summary>
    Error,
}

/// <summary>One DNS answer for a list query; <see cref="Ttl"/> is how long the answer may be cached.</summary>
public sealed record DnsAnswer(DnsAnswerStatus Status, IReadOnlyList<IPAddress> Addresses, TimeSpan Ttl)
{
    public static DnsAnswer TimedOut { get; } = new(DnsAnswerStatus.Timeout, [], TimeSpan.Zero);
}
