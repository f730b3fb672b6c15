using System.Diagnostics;
using Gateway.Contracts;
using Gateway.FingerprintFilter.Configuration;
using Gateway.FingerprintFilter.Fingerprinting;
using Gateway.FingerprintFilter.Learning;
using Gateway.FingerprintFilter.Scoring;
using Gateway.FingerprintFilter.Store;
using Gateway.V1;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gateway.FingerprintFilter;

/// <summary>
/// Tier 3: judges messages by what reported spam they resemble (exactly, nearly, or by attachment and
/// link domain), learns from spam and ham reports, and publishes every conviction and reversal.
/// </summary>
public sealed class FingerprintFilterService : IFingerprintFilter
{
    public const string KnownSpamReason = VerdictBuilder.KnownSpamReason;
    public const string StoreUnavailableReason = "fingerprint-store-unavailable";

    private readonly FingerprintCalculator _calculator;
    private readonly FingerprintLookup _lookup;
    private readonly ScanScorer _scorer;
    private readonly VerdictBuilder _verdicts;
    private readonly ReportProcessor _reports;
    private readonly FingerprintFilterOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<FingerprintFilterService> _logger;

    public FingerprintFilterService(
        FingerprintCalculator calculator,
        FingerprintLookup lookup,
        ScanScorer scorer,
        VerdictBuilder verdicts,
        ReportProcessor reports,
        IOptions<FingerprintFilterOptions> options,
        TimeProvider time,
        ILogger<FingerprintFilterService> logger)
    {
        _calculator = calculator;
        _lookup = lookup;
        _scorer = scorer;
        _verdicts = verdicts;
        _reports = reports;
        _options = options.Value;
        _time = time;
        _logger = logger;
    }

    public async Task<ScanResult> ScanAsync(ScanRequest request, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var fingerprints = _calculator.Compute(request.Message.Memory, cancellationToken);
        var result = new ScanResult { Fingerprints = { fingerprints.Fingerprints } };

        if (fingerprints.Fingerprints.Count == 0)
        {
            Judge(result, fingerprints, new Dictionary<string, FingerprintEntry>(), request, "no-fingerprints");
        }
        else
        {
            try
            {
                var known = await _lookup.LookupAsync(fingerprints.Fingerprints, cancellationToken);
                Judge(result, fingerprints, known, request, null);
            }
            catch (FingerprintStoreUnavailableException ex)
            {
                var mode = _options.FailOpen ? "open" : "closed";
                FingerprintFilterLog.StoreUnavailable(_logger, request.QueueId, mode, ex);
                result.Classification = ScanClass.Unspecified;
                result.Verdict = _options.FailOpen
                    ? VerdictBuilder.Accept(StoreUnavailableReason)
                    : VerdictBuilder.TempFail(StoreUnavailableReason);
            }
        }

        var label = LabelOf(result.Verdict.Action);
        FingerprintFilterMetrics.Scans.WithLabels(label).Inc();
        FingerprintFilterMetrics.Classifications.WithLabels(ClassLabel(result.Classification)).Inc();
        FingerprintFilterMetrics.ScanDuration.Observe(Stopwatch.GetElapsedTime(started).TotalSeconds);
        FingerprintFilterLog.Scanned(_logger, request.QueueId, label, result.Verdict.Reason,
            result.Fingerprints.Count, result.Matched.Count, result.Score);
        return result;
    }

    /// <exception cref="ArgumentException">The report kind is neither SPAM nor HAM.</exception>
    /// <exception cref="FingerprintStoreUnavailableException">The store did not answer; nothing published.</exception>
    public Task<ReportResult> ReportAsync(ReportRequest request, CancellationToken cancellationToken)
    {
        var state = request.Kind switch
        {
            ReportKind.Spam => FingerprintState.Spam,
            ReportKind.Ham => FingerprintState.Ham,
            _ => throw new ArgumentException($"Report kind must be SPAM or HAM, not {request.Kind}.", nameof(request)),
        };

        var fingerprints = _calculator.Compute(request.Message.Memory, cancellationToken);
        return _reports.ProcessAsync(fingerprints, state, request.Source, null, cancellationToken);
    }

    public Task<FingerprintResult> FingerprintAsync(FingerprintRequest request, CancellationToken cancellationToken)
    {
        var fingerprints = _calculator.Compute(request.Message.Memory, cancellationToken);
        return Task.FromResult(new FingerprintResult
        {
            Fingerprints = { fingerprints.Fingerprints },
            MessageId = fingerprints.MessageId ?? "",
        });
    }

    private void Judge(
        ScanResult result,
        MessageFingerprints fingerprints,
        IReadOnlyDictionary<string, FingerprintEntry> known,
        ScanRequest request,
        string? reasonOverride)
    {
        var assessment = _scorer.Score(fingerprints, known, _time.GetUtcNow());
        var (verdict, headers) = _verdicts.Build(assessment, request.Recipients);
        if (reasonOverride is not null && verdict.Action == Gateway.V1.Action.Accept)
        {
            verdict.Reason = reasonOverride;
        }

        result.Verdict = verdict;
        result.Classification = assessment.Classification;
        result.Score = assessment.Score;
        result.Matched.AddRange(assessment.Matched);
        result.Reasons.AddRange(assessment.Reasons);
        result.Headers.AddRange(headers);
    }

    private static string LabelOf(Gateway.V1.Action action) => action switch
    {
        Gateway.V1.Action.Reject => "reject",
        Gateway.V1.Action.Tempfail => "tempfail",
        _ => "accept",
    };

    private static string ClassLabel(ScanClass classification) => classification switch
    {
        ScanClass.Spam => "spam",
        ScanClass.Suspect => "suspect",
        ScanClass.Clean => "clean",
        _ => "unknown",
    };
}
