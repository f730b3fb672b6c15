using System.Security.Cryptography;
using System.Text;
using Gateway.ClusterCommon.Kafka;
using Gateway.Contracts;
using Gateway.V1;

namespace Gateway.FingerprintFilter.Host.Events;

/// <summary>
/// Publishes convictions and reversals to the fingerprint events topic and returns once the broker has them
/// (acks=all), so a report that returned is never lost; retro-remediation acts on them later, elsewhere, so
/// there is no summary to return.
/// </summary>
public sealed class KafkaFingerprintEventPublisher(
    KafkaEventProducer producer, KafkaTopics topics, ILogger<KafkaFingerprintEventPublisher> logger)
    : IFingerprintEventPublisher
{
    public async Task<RemediationSummary?> PublishAsync(FingerprintEvent fingerprintEvent,
        CancellationToken cancellationToken)
    {
        // Keyed by the fingerprint set: a conviction and its later reversal land in one partition, in order.
        var key = Key(fingerprintEvent);
        await producer.ProduceAsync(topics.FingerprintEvents, key, fingerprintEvent, cancellationToken);
        FingerprintEventsLog.Published(
            logger, fingerprintEvent.EventId, fingerprintEvent.Kind.ToString(), fingerprintEvent.Fingerprints.Count);
        return null;
    }

    internal static string Key(FingerprintEvent fingerprintEvent)
    {
        var joined = string.Join('\n', fingerprintEvent.Fingerprints.Order(StringComparer.Ordinal));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(joined)).AsSpan(0, 16));
    }
}
