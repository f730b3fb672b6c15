using System.Diagnostics;
using Gateway.Contracts;
using Gateway.FingerprintFilter.Fingerprinting;
using Gateway.FingerprintFilter.Store;
using Gateway.V1;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gateway.FingerprintFilter;

/// <summary>
/// Tier 3: rejects messages whose content was reported as spam, learns from spam and ham reports,
/// and tells retro-remediation about every conviction and reversal.
/// </summary>
public sealed class FingerprintFilterService : IFingerprintFilter
{
    public const string KnownSpamReason = "known-spam";
    public const string StoreUnavailableReason = "fingerprint-store-unavailable";

    private readonly FingerprintCalculator _calculator;
    private readonly IFingerprintStore _store;
    private readonly IFingerprintEventPublisher _publisher;
    private readonly FingerprintFilterOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<FingerprintFilterService> _logger;

    public FingerprintFilterService(
        FingerprintCalculator calculator,
        IFingerprintStore store,
        IFingerprintEventPublisher publisher,
        IOptions<FingerprintFilterOptions> options,
        TimeProvider time,
        ILogger<FingerprintFilterService> logger)
    {
        _calculator = calculator;
        _store = store;
        _publisher = publisher;
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
            result.Verdict = Accept("no-fingerprints");
        }
        else
        {
            try
            {
                var known = await _store.LookupAsync(fingerprints.Fingerprints, cancellationToken);

                // Listed even when they do not convict (attachments alone): matched says what the
                // store knows, the verdict says what follows from it.
                var matched = fingerprints.Fingerprints
                    .Where(fp => known.TryGetValue(fp, out var state) && state == FingerprintState.Spam)
                    .ToList();
                result.Matched.AddRange(matched);
                result.Verdict = matched.Any(FingerprintKinds.ConvictsAlone)
                    ? Reject()
                    : Accept(matched.Count == 0 ? "no-match" : "attachment-match-only");
            }
            catch (FingerprintStoreUnavailableException ex)
            {
                var mode = _options.FailOpen ? "open" : "closed";
                FingerprintFilterLog.StoreUnavailable(_logger, request.QueueId, mode, ex);
                result.Verdict = _options.FailOpen ? Accept(StoreUnavailableReason) : TempFail();
            }
        }

        FingerprintFilterMetrics.Scans.WithLabels(LabelOf(result.Verdict.Action)).Inc();
        FingerprintFilterMetrics.ScanDuration.Observe(Stopwatch.GetElapsedTime(started).TotalSeconds);
        FingerprintFilterLog.Scanned(_logger, request.QueueId, LabelOf(result.Verdict.Action), result.Verdict.Reason,
            result.Fingerprints.Count, result.Matched.Count);
        return result;
    }

    /// <exception cref="ArgumentException">The report kind is neither SPAM nor HAM.</exception>
    /// <exception cref="FingerprintStoreUnavailableException">The store did not answer; nothing published.</exception>
    public async Task<ReportResult> ReportAsync(ReportRequest request, CancellationToken cancellationToken)
    {
        var state = request.Kind switch
        {
            ReportKind.Spam => FingerprintState.Spam,
            ReportKind.Ham => FingerprintState.Ham,
            _ => throw new ArgumentException($"Report kind must be SPAM or HAM, not {request.Kind}.", nameof(request)),
        };
        var kindLabel = state == FingerprintState.Spam ? "spam" : "ham";
        var source = string.IsNullOrWhiteSpace(request.Source) ? "unspecified" : request.Source;

        var fingerprints = _calculator.Compute(request.Message.Memory, cancellationToken);
        var result = new ReportResult { Fingerprints = { fingerprints.Fingerprints } };
        if (fingerprints.Fingerprints.Count == 0)
        {
            FingerprintFilterLog.ReportWithoutFingerprints(_logger, kindLabel, source, fingerprints.MessageId);
            FingerprintFilterMetrics.Reports.WithLabels(kindLabel, "false").Inc();
            return result;
        }

        var before = await _store.ReportAsync(fingerprints.Fingerprints, state, source, cancellationToken);
        result.Changed = state == FingerprintState.Spam
            ? before.Any(previous => previous != FingerprintState.Spam)
            : before.Any(previous => previous == FingerprintState.Spam);
        FingerprintFilterMetrics.Reports.WithLabels(kindLabel, result.Changed ? "true" : "false").Inc();
        FingerprintFilterLog.ReportRecorded(
            _logger, kindLabel, source, fingerprints.MessageId, fingerprints.Fingerprints.Count, result.Changed);

        result.Remediation = await PublishAsync(state, fingerprints.Fingerprints, source, cancellationToken);
        return result;
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

    /// <summary>
    /// Publishes on every report, changed or not: re-reporting is how an operator retries a
    /// remediation that failed, and consumers treat events as idempotent. The event names only
    /// fingerprints that convict alone, because remediation moves every delivered copy carrying
    /// any of them; a shared logo's a1 digest would otherwise drag unrelated ham into Junk.
    /// </summary>
    private async Task<RemediationSummary?> PublishAsync(
        FingerprintState state, IReadOnlyList<string> fingerprints, string source, CancellationToken cancellationToken)
    {
        var kind = state == FingerprintState.Spam ? FingerprintEventKind.Convicted : FingerprintEventKind.Reversed;
        var convicting = fingerprints.Where(FingerprintKinds.ConvictsAlone).ToList();
        if (convicting.Count == 0)
        {
            FingerprintFilterLog.EventNotPublished(_logger, kind.ToString(), source);
            return null;
        }

        var fingerprintEvent = new FingerprintEvent
        {
            EventId = Guid.NewGuid().ToString("N"),
            Kind = kind,
            Fingerprints = { convicting },
            Source = source,
            At = Timestamp.FromDateTimeOffset(_time.GetUtcNow()),
        };

        RemediationSummary? summary;
        try
        {
            summary = await _publisher.PublishAsync(fingerprintEvent, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            FingerprintFilterLog.PublishFailed(_logger, kind.ToString(), fingerprintEvent.EventId, ex);
            throw;
        }

        FingerprintFilterLog.EventPublished(_logger, kind.ToString(), fingerprintEvent.EventId, convicting.Count,
            summary is null ? "asynchronous" : summary.ToString());
        return summary;
    }

    private static Verdict Accept(string reason) => new() { Action = Gateway.V1.Action.Accept, Reason = reason };

    // RFC 3463: x.7.1 "delivery not authorized, message refused" (content policy).
    private static Verdict Reject() => new()
    {
        Action = Gateway.V1.Action.Reject,
        SmtpCode = 550,
        EnhancedCode = "5.7.1",
        Text = "Message content matches known spam",
        Reason = KnownSpamReason,
    };

    // RFC 3463: 4.7.0 "other or undefined security status", transient; the client retries later.
    private static Verdict TempFail() => new()
    {
        Action = Gateway.V1.Action.Tempfail,
        SmtpCode = 451,
        EnhancedCode = "4.7.0",
        Text = "Content check temporarily unavailable, try again later",
        Reason = StoreUnavailableReason,
    };

    private static string LabelOf(Gateway.V1.Action action) => action switch
    {
        Gateway.V1.Action.Reject => "reject",
        Gateway.V1.Action.Tempfail => "tempfail",
        _ => "accept",
    };
}
