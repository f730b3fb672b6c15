using System.Net;
using Gateway.SenderIntelligence.Configuration;
using Gateway.SenderIntelligence.Dnsbl;
using Microsoft.Extensions.Options;

namespace Gateway.SenderIntelligence.Feeds;

/// <summary>The configured feeds; answers which of them list an address (in memory, no I/O).</summary>
public sealed class FeedCatalog
{
    public FeedCatalog(IOptions<SenderIntelligenceOptions> options)
    {
        Feeds = options.Value.Global.Feeds.Select(f => new ReputationFeed(f)).ToList();
    }

    public IReadOnlyList<ReputationFeed> Feeds { get; }

    public IReadOnlyList<ListingHit> Lookup(IPAddress address)
    {
        List<ListingHit>? hits = null;
        foreach (var feed in Feeds)
        {
            if (feed.State.Table.Contains(address))
            {
                (hits ??= new()).Add(new ListingHit(feed.Name, feed.Weight, "listed"));
            }
        }

        return hits ?? (IReadOnlyList<ListingHit>)[];
    }
}
