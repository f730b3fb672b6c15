namespace Gateway.SenderIntelligence.Feeds;

/// <summary>
/// What a feed holds now, and what identifies the version it came from (a file's write time and length, or an
/// HTTP ETag / Last-Modified), so an unchanged source is not parsed again.
/// </summary>
public sealed record FeedState(
    IpRangeTable Table,
    int Entries,
    DateTimeOffset? LoadedAt,
    string? Version,
    DateTimeOffset? LastModified);
