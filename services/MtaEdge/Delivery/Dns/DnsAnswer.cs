using System.Net;

namespace Gateway.MtaEdge.Delivery.Dns;

/// <summary>The records of one lookup: MX exchanges with preferences, or addresses.</summary>
public sealed record DnsAnswer(
    DnsLookupStatus Status, IReadOnlyList<MxRecord> Exchanges, IReadOnlyList<IPAddress> Addresses, string Error = "")
{
    public static DnsAnswer Failed(string error) => new(DnsLookupStatus.Failure, [], [], error);
}
