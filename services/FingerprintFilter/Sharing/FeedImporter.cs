using Gateway.FingerprintFilter.Configuration;
using Gateway.FingerprintFilter.Learning;
using Gateway.FingerprintFilter.Store;
using Gateway.V1;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gateway.FingerprintFilter.Sharing;

/// <summary>
/// Imports a peer's signed batches: verified against the peer's configured key, then each event after
/// the stored watermark is learned as a report from <c>peer:{site}</c> weighing the peer's configured
/// weight times the event's confidence. A peer at weight 1 convicts at once; below it, its reports add
/// up with local ones. Imports are never re-exported, so convictions do not echo between sites.
/// </summary>
public sealed class FeedImporter : IDisposable
{
    private readonly ReportProcessor _reports;
    private readonly IPeerWatermarkStore _watermarks;
    private readonly Dictionary<string, (PeerOptions Peer, FeedVerifier Verifier)> _peers;
    private readonly ILogger<FeedImporter> _logger;

    public FeedImporter(
        ReportProcessor reports,
        IPeerWatermarkStore watermarks,
        IOptions<FingerprintFilterOptions> options,
        ILogger<FeedImporter> logger)
    {
        _reports = reports;
        _watermarks = watermarks;
        _logger = logger;
        _peers = new Dictionary<string, (PeerOptions, FeedVerifier)>(StringComparer.OrdinalIgnoreCase);
        foreach (var peer in options.Value.Sharing.Peers)
        {
            _peers[peer.SiteId] = (peer, new FeedVerifier(peer.SiteId, FeedKeys.PublicKeyFrom(peer.PublicKey)));
        }
    }

    public IEnumerable<PeerOptions> Peers => _peers.Values.Select(p => p.Peer);

    /// <exception cref="FeedVerificationException">Not from the peer, or from a peer not configured.</exception>
    /// <exception cref="FingerprintStoreUnavailableException">
    /// The store did not answer; the watermark stays.
    /// </exception>
    public async Task<ImportOutcome> ImportAsync(SignedFeedBatch signed, CancellationToken cancellationToken)
    {
        if (!_peers.TryGetValue(signed.SiteId, out var peer))
        {
            throw new FeedVerificationException($"site {signed.SiteId} is not a configured peer");
        }

        var batch = peer.Verifier.Verify(signed);
        var site = peer.Peer.SiteId;
        var watermark = await _watermarks.GetAsync(site, cancellationToken);
        int learned = 0, skipped = 0, convictions = 0;
        foreach (var fingerprintEvent in batch.Events.OrderBy(e => e.Sequence))
        {
            if (fingerprintEvent.Sequence <= watermark)
            {
                skipped++;
                continue;
            }

            if (FeedEventValidator.Problem(fingerprintEvent) is { } problem)
            {
                FingerprintFilterLog.FeedEventSkipped(_logger, site, fingerprintEvent.Sequence, problem);
                skipped++;
            }
            else
            {
                var verdict = fingerprintEvent.Kind == FingerprintEventKind.Convicted
                    ? FingerprintState.Spam
                    : FingerprintState.Ham;
                var weight = peer.Peer.Weight * (verdict == FingerprintState.Spam
                    ? Math.Clamp(fingerprintEvent.Confidence, 0, 1)
                    : 1);
                var result = await _reports.ProcessAsync(FingerprintEventFactory.FingerprintsOf(fingerprintEvent),
                    verdict, "peer:" + site.ToLowerInvariant(), weight, cancellationToken);
                learned++;
                convictions += result.Convicted && result.Changed ? 1 : 0;
            }

            // Per event, so a failure part-way resumes after the last event learned.
            await _watermarks.AdvanceAsync(site, fingerprintEvent.Sequence, cancellationToken);
        }

        var end = Math.Max(watermark, batch.ToWatermark);
        await _watermarks.AdvanceAsync(site, end, cancellationToken);
        if (learned > 0)
        {
            FingerprintFilterLog.FeedImported(_logger, site, learned, skipped, convictions, end);
        }

        return new ImportOutcome(learned, skipped, convictions, end);
    }

    public void Dispose()
    {
        foreach (var (_, verifier) in _peers.Values)
        {
            verifier.Dispose();
        }
    }
}
