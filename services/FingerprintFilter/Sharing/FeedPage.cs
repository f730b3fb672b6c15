using Gateway.V1;

namespace Gateway.FingerprintFilter.Sharing;

/// <summary>Feed events after a watermark, the watermark to ask from next, and whether more are ready.</summary>
public sealed record FeedPage(IReadOnlyList<FingerprintEvent> Events, long Watermark, bool More);
