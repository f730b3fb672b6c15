using Gateway.V1;

namespace Gateway.FingerprintFilter.Sharing;

/// <summary>
/// This site's feed: the convictions and reversals it learned, in order, for peers to follow by
/// watermark. Throws <see cref="Store.FingerprintStoreUnavailableException"/> on store faults.
/// </summary>
public interface IFeedLog
{
    /// <summary>Appends the event, setting its <c>sequence</c>; returns the sequence.</summary>
    Task<long> AppendAsync(FingerprintEvent fingerprintEvent, CancellationToken cancellationToken);

    /// <summary>Events after <paramref name="watermark"/>, at most <paramref name="maxEvents"/>.</summary>
    Task<FeedPage> ReadAsync(long watermark, int maxEvents, CancellationToken cancellationToken);

    /// <summary>Calls <paramref name="onAppend"/> soon after any node appends (best effort).</summary>
    Task<IAsyncDisposable> SubscribeAsync(System.Action onAppend, CancellationToken cancellationToken);
}
