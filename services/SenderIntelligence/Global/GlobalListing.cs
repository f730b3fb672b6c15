using System.Net;
using Gateway.SenderIntelligence.Configuration;
using Gateway.SenderIntelligence.Dnsbl;
using Gateway.SenderIntelligence.Feeds;
using Microsoft.Extensions.Options;

namespace Gateway.SenderIntelligence.Global;

/// <summary>
/// The Global edition's verdict on a client address: the weights of the DNS list zones (looked up in parallel,
/// bounded by their timeout) and of the feeds (in memory) that list it, summed. Allow lists count negatively.
/// </summary>
public sealed class GlobalListing
{
    private readonly DnsblChecker _dnsbl;
    private readonly FeedCatalog _feeds;

    public GlobalListing(DnsblChecker dnsbl, FeedCatalog feeds, IOptions<SenderIntelligenceOptions> options)
    {
        _dnsbl = dnsbl;
        _feeds = feeds;
        Threshold = options.Value.Global.Threshold;
    }

    /// <summary>At or over this score a client is refused.</summary>
    public double Threshold { get; }

    public bool HasSources => _dnsbl.Zones.Count > 0 || _feeds.Feeds.Count > 0;

    public async Task<ListingResult> CheckAsync(IPAddress client, CancellationToken cancellationToken)
    {
        if (!HasSources)
        {
            return ListingResult.None;
        }

        var feedHits = _feeds.Lookup(client);
        var zoneHits = await _dnsbl.LookupAsync(client, cancellationToken).ConfigureAwait(false);
        if (feedHits.Count == 0 && zoneHits.Count == 0)
        {
            return ListingResult.None;
        }

        var hits = zoneHits.Concat(feedHits).ToList();
        return new ListingResult(hits.Sum(h => h.Weight), hits);
    }

    /// <summary>True when the result refuses the client: positive listings at or over the threshold.</summary>
    public bool Refuses(ListingResult result) => result.Hits.Count > 0 && result.Score >= Threshold;
}
