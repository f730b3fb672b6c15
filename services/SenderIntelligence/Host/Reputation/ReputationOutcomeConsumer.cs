using Confluent.Kafka;
using Gateway.ClusterCommon.Kafka;
using Gateway.V1;
using Google.Protobuf;

namespace Gateway.SenderIntelligence.Host.Reputation;

/// <summary>
/// Reads the edges' reputation outcomes and counts them. At-least-once: the offset is stored after the count
/// is in Redis, and <see cref="ReputationCounters"/> counts each outcome id once, so a re-read changes nothing.
/// </summary>
public sealed class ReputationOutcomeConsumer(
    KafkaClientFactory factory,
    KafkaTopics topics,
    ReputationCounters counters,
    TimeProvider time,
    ILogger<ReputationOutcomeConsumer> logger)
    : KafkaConsumerService(factory, logger, time)
{
    protected override string GroupId => "gateway-reputation";

    protected override IReadOnlyCollection<string> Topics => [topics.ReputationOutcomes];

    protected override async Task HandleAsync(ConsumeResult<string, byte[]> record, CancellationToken abandon)
    {
        ReputationOutcome outcome;
        try
        {
            outcome = ReputationOutcome.Parser.ParseFrom(record.Message.Value ?? []);
        }
        catch (InvalidProtocolBufferException ex)
        {
            // A statistic that cannot be read is skipped; waiting for it would stall every later one.
            ReputationLog.Unreadable(logger, record.Topic, record.Partition.Value, record.Offset.Value, ex);
            return;
        }

        await counters.CountAsync(outcome);
    }
}
