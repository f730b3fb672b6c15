using Gateway.FingerprintFilter.Configuration;
using Gateway.V1;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Options;

namespace Gateway.FingerprintFilter.Sharing;

/// <summary>Cuts this site's feed into signed batches from a watermark (for Export, Subscribe and files).</summary>
public sealed class FeedExporter
{
    private readonly IFeedLog _feed;
    private readonly FeedSignerProvider _signer;
    private readonly SharingOptions _options;
    private readonly TimeProvider _time;

    public FeedExporter(
        IFeedLog feed, FeedSignerProvider signer, IOptions<FingerprintFilterOptions> options, TimeProvider time)
    {
        _feed = feed;
        _signer = signer;
        _options = options.Value.Sharing;
        _time = time;
    }

    /// <summary>Whether this site offers a feed (it has a site id and a signing key).</summary>
    public bool Enabled => _signer.Signer is not null;

    /// <exception cref="InvalidOperationException">The feed is off (no site id or key configured).</exception>
    /// <exception cref="Store.FingerprintStoreUnavailableException">The store did not answer.</exception>
    public async Task<SignedFeedBatch> ExportAsync(long watermark, int maxEvents, CancellationToken cancellationToken)
    {
        var signer = _signer.Signer ?? throw new InvalidOperationException(
            "This site offers no fingerprint feed: set Gateway:Fingerprint:Sharing:SiteId and SigningKeyFile.");
        var limit = maxEvents <= 0 ? _options.MaxBatchEvents : Math.Min(maxEvents, _options.MaxBatchEvents);
        var from = Math.Max(0, watermark);
        var page = await _feed.ReadAsync(from, limit, cancellationToken);
        var batch = new FeedBatch
        {
            FromWatermark = from,
            ToWatermark = Math.Max(from, page.Watermark),
            Events = { page.Events },
            Created = Timestamp.FromDateTimeOffset(_time.GetUtcNow()),
            More = page.More,
        };
        return signer.Sign(batch);
    }
}
