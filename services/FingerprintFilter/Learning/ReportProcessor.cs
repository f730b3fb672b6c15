using Gateway.Contracts;
using Gateway.FingerprintFilter.Configuration;
using Gateway.FingerprintFilter.Fingerprinting;
using Gateway.FingerprintFilter.Scoring;
using Gateway.FingerprintFilter.Sharing;
using Gateway.FingerprintFilter.Store;
using Gateway.V1;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gateway.FingerprintFilter.Learning;

/// <summary>
/// The report pipeline shared by the report API, the abuse and trap intake and peer imports: learn
/// the fingerprints, judge the message as a scan would before and after, and publish a conviction or
/// reversal when the report decided one (or when a trusted source repeats one: re-reporting is how an
/// operator retries a remediation that failed).
/// </summary>
public sealed class ReportProcessor
{
    private readonly ReportLearner _learner;
    private readonly ScanScorer _scorer;
    private readonly HotFingerprintCache _cache;
    private readonly IFingerprintEventPublisher _publisher;
    private readonly IFeedLog _feed;
    private readonly FingerprintFilterOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<ReportProcessor> _logger;

    public ReportProcessor(
        ReportLearner learner,
        ScanScorer scorer,
        HotFingerprintCache cache,
        IFingerprintEventPublisher publisher,
        IFeedLog feed,
        IOptions<FingerprintFilterOptions> options,
        TimeProvider time,
        ILogger<ReportProcessor> logger)
    {
        _learner = learner;
        _scorer = scorer;
        _cache = cache;
        _publisher = publisher;
        _feed = feed;
        _options = options.Value;
        _time = time;
        _logger = logger;
    }

    /// <summary>Learns a report of a message whose fingerprints are computed.</summary>
    /// <param name="peerWeight">For an import from a peer: the weight to use instead of a reporter's record.</param>
    /// <exception cref="FingerprintStoreUnavailableException">
    /// The store did not answer; nothing was published.
    /// </exception>
    public async Task<ReportResult> ProcessAsync(
        MessageFingerprints fingerprints,
        FingerprintState verdict,
        string sourceText,
        double? peerWeight,
        CancellationToken cancellationToken)
    {
        var source = ReportSource.Parse(sourceText);
        var kindLabel = verdict == FingerprintState.Spam ? "spam" : "ham";
        var result = new ReportResult { Fingerprints = { fingerprints.Fingerprints } };
        if (fingerprints.Fingerprints.Count == 0)
        {
            FingerprintFilterLog.ReportWithoutFingerprints(_logger, kindLabel, source.Reporter, fingerprints.MessageId);
            FingerprintFilterMetrics.Reports.WithLabels(kindLabel, "false").Inc();
            return result;
        }

        if (peerWeight is null && source.PeerSite is not null)
        {
            // A "peer:" source from the report API weighs what the peer is configured to weigh, or
            // nothing: only a configured peer is trusted at all.
            peerWeight = _options.Sharing.Peers
                .FirstOrDefault(p => string.Equals(p.SiteId, source.PeerSite, StringComparison.OrdinalIgnoreCase))
                ?.Weight ?? 0;
        }

        var learned = await _learner.LearnAsync(
            fingerprints.Fingerprints, verdict, source, sourceText, peerWeight, cancellationToken);
        _cache.Apply(learned.Outcome.After.Values);

        var now = _time.GetUtcNow();
        var before = _scorer.Score(fingerprints, learned.Outcome.Before, now);
        var after = _scorer.Score(fingerprints, learned.Outcome.After, now);
        var convicted = after.Classification == ScanClass.Spam;
        var wasConvicted = before.Classification == ScanClass.Spam;
        result.Weight = Math.Round(learned.Weight, 4);
        result.Convicted = convicted;
        result.Changed = verdict == FingerprintState.Spam ? convicted && !wasConvicted : wasConvicted && !convicted;
        FingerprintFilterMetrics.Reports.WithLabels(kindLabel, result.Changed ? "true" : "false").Inc();
        FingerprintFilterLog.ReportRecorded(_logger, kindLabel, source.Reporter, fingerprints.MessageId,
            fingerprints.Fingerprints.Count, learned.Weight, result.Changed, convicted);

        var decided = verdict == FingerprintState.Spam ? convicted : !convicted;
        if (!decided || !(result.Changed || source.Trusted))
        {
            return result;
        }

        var kind = verdict == FingerprintState.Spam ? FingerprintEventKind.Convicted : FingerprintEventKind.Reversed;
        var fingerprintEvent = FingerprintEventFactory.Create(kind, fingerprints, sourceText,
            convicted ? Math.Min(1, after.ContentScore / _options.Scoring.ContentScore) : 0,
            ExpiryOf(learned.Outcome.After.Values,
                now + (verdict == FingerprintState.Spam ? _options.SpamTtl : _options.HamTtl)),
            _options.Scoring.FuzzyMatchShare, now);
        if (fingerprintEvent is null)
        {
            FingerprintFilterLog.EventNotPublished(_logger, kind.ToString(), source.Reporter);
            return result;
        }

        result.Event = fingerprintEvent;
        result.Remediation = await PublishAsync(fingerprintEvent, source, cancellationToken);
        return result;
    }

    private async Task<RemediationSummary?> PublishAsync(
        FingerprintEvent fingerprintEvent, ReportSource source, CancellationToken cancellationToken)
    {
        // Only what this site learned goes to peers: an import re-exported would echo between sites.
        if (_options.Sharing.SiteId.Length > 0 && source.PeerSite is null)
        {
            fingerprintEvent.SiteId = _options.Sharing.SiteId;
            await _feed.AppendAsync(fingerprintEvent, cancellationToken);
        }

        RemediationSummary? summary;
        try
        {
            summary = await _publisher.PublishAsync(fingerprintEvent, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            FingerprintFilterLog.PublishFailed(_logger, fingerprintEvent.Kind.ToString(), fingerprintEvent.EventId, ex);
            throw;
        }

        var remediation = summary is null
            ? "asynchronous"
            : $"{summary.CopiesFound} found, {summary.CopiesActed} acted, {summary.CopiesFailed} failed";
        FingerprintFilterLog.EventPublished(_logger, fingerprintEvent.Kind.ToString(), fingerprintEvent.EventId,
            fingerprintEvent.Fingerprints.Count, remediation);
        return summary;
    }

    private static DateTimeOffset ExpiryOf(IEnumerable<FingerprintEntry> entries, DateTimeOffset fallback)
    {
        var expiries = entries.Where(e => FingerprintKinds.IdentifiesContent(e.Fingerprint))
            .Select(e => e.ExpiresAt).Where(e => e != DateTimeOffset.MaxValue).ToList();
        return expiries.Count > 0 ? expiries.Max() : fallback;
    }
}
