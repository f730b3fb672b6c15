namespace Gateway.SenderIntelligence.Feeds;

/// <summary>
/// A parsed feed: the table, how many entries it had, how many lines were invalid and the first errors.
/// </summary>
public sealed record FeedParseResult(IpRangeTable Table, int Entries, int InvalidLines, IReadOnlyList<string> Errors);
