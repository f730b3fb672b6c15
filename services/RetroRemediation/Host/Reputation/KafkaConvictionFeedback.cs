using Gateway.ClusterCommon.Kafka;
using Gateway.RetroRemediation.Reputation;
using Gateway.V1;
using Google.Protobuf.WellKnownTypes;

namespace Gateway.RetroRemediation.Host.Reputation;

/// <summary>
/// Cluster mode's path from retro-remediation to sender intelligence: a message convicted after delivery goes on
/// the reputation topic, keyed by client address like the edge's outcomes; the sender-intelligence service counts
/// it once per outcome id.
/// </summary>
public sealed class KafkaConvictionFeedback(KafkaEventProducer producer, KafkaTopics topics) : IConvictionFeedback
{
    public Task ReportAsync(ConvictedMessage message, CancellationToken cancellationToken) =>
        producer.ProduceAsync(topics.ReputationOutcomes, message.ClientIp, new ReputationOutcome
        {
            OutcomeId = message.OutcomeId,
            Kind = ReputationOutcomeKind.Convicted,
            ClientIp = message.ClientIp,
            SenderDomain = message.SenderDomain,
            QueueId = message.QueueId,
            Recipients = message.Copies,
            At = Timestamp.FromDateTimeOffset(message.At),
        }, cancellationToken);
}
