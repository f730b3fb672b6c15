namespace Gateway.ClusterCommon.Kafka;

/// <summary>
/// The largest record value this service writes or reads, in octets. Producer, consumers and the topics
/// it creates are sized from it, so a message up to the service's own limit always fits.
/// </summary>
public sealed record KafkaRecordLimit(int ValueBytes)
{
    /// <summary>Kafka's own default (1 MiB): plenty for events, which never carry message content.</summary>
    public static readonly KafkaRecordLimit Events = new(1_048_576 - KafkaClientFactory.RecordOverheadBytes);
}
