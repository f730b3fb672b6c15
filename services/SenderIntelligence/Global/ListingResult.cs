using Gateway.SenderIntelligence.Dnsbl;

namespace Gateway.SenderIntelligence.Global;

/// <summary>The zones and feeds listing a client and the sum of their weights.</summary>
public sealed record ListingResult(double Score, IReadOnlyList<ListingHit> Hits)
{
    public static ListingResult None { get; } = new(0, []);
}
