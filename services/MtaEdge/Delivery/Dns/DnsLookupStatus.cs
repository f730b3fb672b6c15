namespace Gateway.MtaEdge.Delivery.Dns;

/// <summary>How a DNS lookup ended.</summary>
public enum DnsLookupStatus
{
    /// <summary>The name exists; the records (possibly none of the type asked for) are in the answer.</summary>
    Ok,

    /// <summary>The name does not exist (RCODE 3): a permanent answer.</summary>
    NameError,

    /// <summary>No usable answer (timeout, SERVFAIL, refused, malformed): try again later.</summary>
    Failure,
}
