using Gateway.Contracts;
using Gateway.V1;

namespace Gateway.Standalone.Events;

/// <summary>
/// Standalone's event path: a conviction or reversal goes straight to retro-remediation in the
/// same call, so a report returns only after the delivered copies were acted on.
/// </summary>
public sealed class InProcessFingerprintEventPublisher(IRetroRemediation remediation, ILogger<InProcessFingerprintEventPublisher> logger)
    : IFingerprintEventPublisher
{
    public async Task<RemediationSummary?> PublishAsync(FingerprintEvent fingerprintEvent, CancellationToken cancellationToken)
    {
        var summary = await remediation.HandleFingerprintEventAsync(fingerprintEvent, cancellationToken);
        logger.LogInformation(
            "Fingerprint event {EventId} ({Kind}, {FingerprintCount} fingerprints): {Found} copies found, {Acted} acted on, {Failed} failed",
            fingerprintEvent.EventId, fingerprintEvent.Kind, fingerprintEvent.Fingerprints.Count,
            summary.CopiesFound, summary.CopiesActed, summary.CopiesFailed);
        return summary;
    }
}
