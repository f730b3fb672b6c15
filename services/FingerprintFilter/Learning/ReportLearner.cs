using Gateway.FingerprintFilter.Configuration;
using Gateway.FingerprintFilter.Fingerprinting;
using Gateway.FingerprintFilter.Store;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gateway.FingerprintFilter.Learning;

/// <summary>
/// Records reports in the store with their weight, and keeps reporters' records: a reporter agrees
/// when a trusted source later decides as it did, and disagrees when a trusted source decides (or had
/// decided) the other way. Agreeing with a decision already made earns nothing, or anyone could farm
/// trust by re-reporting convicted spam; only foresight counts.
/// </summary>
public sealed class ReportLearner
{
    private readonly IFingerprintStore _store;
    private readonly IReporterStore _reporters;
    private readonly FingerprintFilterOptions _options;
    private readonly ILogger<ReportLearner> _logger;

    public ReportLearner(
        IFingerprintStore store,
        IReporterStore reporters,
        IOptions<FingerprintFilterOptions> options,
        ILogger<ReportLearner> logger)
    {
        _store = store;
        _reporters = reporters;
        _options = options.Value;
        _logger = logger;
    }

    /// <summary>Learns one report of a message's fingerprints.</summary>
    /// <param name="peerWeight">For a peer's report: its configured weight times its confidence.</param>
    /// <exception cref="FingerprintStoreUnavailableException">The store did not answer.</exception>
    public async Task<LearnResult> LearnAsync(
        IReadOnlyList<string> fingerprints,
        FingerprintState verdict,
        ReportSource source,
        string sourceText,
        double? peerWeight,
        CancellationToken cancellationToken)
    {
        var weight = source.Trusted
            ? 1
            : peerWeight ?? ReporterTrust.WeightOf(
                await _reporters.GetAsync(source.Reporter, cancellationToken), _options.Learning);
        var ttl = verdict == FingerprintState.Spam ? _options.SpamTtl : _options.HamTtl;
        var outcome = await _store.ApplyReportAsync(
            new StoreReport(
                fingerprints, verdict, source.Class, source.Reporter, source.Trusted, weight, sourceText, ttl),
            cancellationToken);

        if (source.Trusted)
        {
            await SettleAsync(verdict, outcome.EarlierReporters, cancellationToken);
        }
        else if (source.PeerSite is null && ContradictsTrusted(verdict, outcome.Before.Values))
        {
            // Reporting as spam what a trusted source vouched for (or the reverse) is a disagreement now.
            await _reporters.RecordAsync(source.Reporter, 0, 1, _options.Learning.ReporterTtl, cancellationToken);
            FingerprintFilterLog.ReporterDisagreed(_logger, source.Reporter);
        }

        return new LearnResult(weight, outcome);
    }

    private async Task SettleAsync(
        FingerprintState decision, IReadOnlyList<ReporterVerdict> earlier, CancellationToken cancellationToken)
    {
        // One reporter may have named several of the fingerprints, even both ways; it counts once,
        // as agreeing if any of its verdicts matched.
        foreach (var reporter in earlier.GroupBy(r => r.Reporter, StringComparer.Ordinal))
        {
            if (reporter.Key.StartsWith("peer:", StringComparison.Ordinal))
            {
                continue;
            }

            var agreed = reporter.Any(r => r.Verdict == decision);
            await _reporters.RecordAsync(
                reporter.Key, agreed ? 1 : 0, agreed ? 0 : 1, _options.Learning.ReporterTtl, cancellationToken);
        }
    }

    private static bool ContradictsTrusted(FingerprintState verdict, IEnumerable<FingerprintEntry> before) =>
        before.Any(e => FingerprintKinds.IdentifiesContent(e.Fingerprint)
            && e.Trusted is { } decided && decided != verdict);
}
