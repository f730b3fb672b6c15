using Gateway.V1;

namespace Gateway.Contracts;

/// <summary>
/// Carries convictions and reversals from the fingerprint filter to their consumers.
/// Standalone hands the event straight to retro-remediation and returns what it did;
/// a message-bus publisher returns <c>null</c> because the work happens elsewhere, later.
/// </summary>
public interface IFingerprintEventPublisher
{
    Task<RemediationSummary?> PublishAsync(FingerprintEvent fingerprintEvent, CancellationToken cancellationToken);
}
