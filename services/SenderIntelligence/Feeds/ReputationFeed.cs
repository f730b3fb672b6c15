using Gateway.SenderIntelligence.Configuration;

namespace Gateway.SenderIntelligence.Feeds;

/// <summary>One configured feed and the table last loaded from it (empty until the first load succeeds).</summary>
public sealed class ReputationFeed
{
    private volatile FeedState _state = new(IpRangeTable.Empty, 0, null, null, null);

    public ReputationFeed(ReputationFeedOptions options)
    {
        Options = options;
    }

    public ReputationFeedOptions Options { get; }

    public string Name => Options.Name;

    public double Weight => Options.Weight;

    public FeedState State
    {
        get => _state;
        internal set => _state = value;
    }

    public bool IsUrl => Uri.TryCreate(Options.Source, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);
}
