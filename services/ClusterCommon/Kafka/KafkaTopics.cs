using Microsoft.Extensions.Options;

namespace Gateway.ClusterCommon.Kafka;

/// <summary>
/// The topic names of cluster mode, under <see cref="KafkaOptions.TopicPrefix"/>. Which message type each
/// carries is listed in protos/gateway/v1/events.proto.
/// </summary>
public sealed class KafkaTopics(IOptions<KafkaOptions> options)
{
    private string Prefix => options.Value.TopicPrefix;

    /// <summary>Accepted messages, written before the edge answers 250.</summary>
    public string Queue => Prefix + "mail.queued";

    /// <summary>Messages that failed for now, read again no sooner than <paramref name="delay"/> after they were
    /// written.</summary>
    public string Retry(TimeSpan delay) => Prefix + $"mail.retry.{(long)Math.Ceiling(delay.TotalSeconds)}s";

    /// <summary>Queue records that could not be read at all.</summary>
    public string DeadLetter => Prefix + "mail.dead";

    /// <summary>One record per delivered copy, for retro-remediation.</summary>
    public string Delivered => Prefix + "mail.delivered";

    /// <summary>Convictions and reversals of fingerprints.</summary>
    public string FingerprintEvents => Prefix + "fingerprint.events";

    /// <summary>What retro-remediation did about each fingerprint event.</summary>
    public string RemediationActions => Prefix + "remediation.actions";

    /// <summary>Facts about sending clients, for sender intelligence.</summary>
    public string ReputationOutcomes => Prefix + "reputation.outcomes";
}
