using Confluent.Kafka;
using Gateway.ClusterCommon.Kafka;
using Gateway.Contracts;
using Gateway.V1;
using Google.Protobuf;

namespace Gateway.SenderIntelligence.Host.Reputation;

/// <summary>
/// Reads the reputation outcomes: delivered mail raises the client's reputation in the tier
/// (<see cref="ISenderIntelligence.RecordOutcomeAsync"/>), mail convicted after delivery (from retro-remediation)
/// lowers it, and every outcome is counted per client and sender
/// domain. At-least-once: the offset is stored after both, and an outcome already counted is skipped, so a
/// re-read changes nothing (only a crash between the two steps can report one outcome to the tier twice).
/// </summary>
public sealed class ReputationOutcomeConsumer(
    KafkaClientFactory factory,
    KafkaTopics topics,
    ReputationCounters counters,
    ISenderIntelligence tier,
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

        if (await counters.IsCountedAsync(outcome))
        {
            return;
        }

        if (outcome.Kind == ReputationOutcomeKind.Delivered)
        {
            await tier.RecordOutcomeAsync(new OutcomeReport
            {
                ClientIp = outcome.ClientIp,
                SenderDomain = outcome.SenderDomain,
                Kind = OutcomeKind.Delivered,
                Count = Math.Max(1, outcome.Recipients),
            }, abandon);
        }
        else if (outcome.Kind == ReputationOutcomeKind.Convicted)
        {
            // A message convicted after delivery (retro-remediation): one spam message, whatever its copies.
            await tier.RecordOutcomeAsync(new OutcomeReport
            {
                ClientIp = outcome.ClientIp,
                SenderDomain = outcome.SenderDomain,
                Kind = OutcomeKind.Convicted,
                Count = 1,
            }, abandon);
        }

        await counters.CountAsync(outcome);
    }
}
