using Confluent.Kafka;
using Gateway.ClusterCommon.Kafka;
using Gateway.Contracts;
using Gateway.V1;
using Google.Protobuf;

namespace Gateway.RetroRemediation.Host.Events;

/// <summary>
/// Remembers every delivered copy the edges publish. At-least-once: the offset is stored after the copy is in
/// the delivered-mail cache; recording the same copy twice keeps one entry (the cache keys copies by queue id,
/// recipient and location) and never resets its state.
/// </summary>
public sealed class DeliveryRecordConsumer(
    KafkaClientFactory factory,
    KafkaTopics topics,
    IRetroRemediation remediation,
    TimeProvider time,
    ILogger<DeliveryRecordConsumer> logger)
    : KafkaConsumerService(factory, logger, time)
{
    protected override string GroupId => "gateway-remediation-records";

    protected override IReadOnlyCollection<string> Topics => [topics.Delivered];

    protected override int Concurrency => 8;

    protected override async Task HandleAsync(ConsumeResult<string, byte[]> record, CancellationToken abandon)
    {
        DeliveryRecord delivery;
        try
        {
            delivery = DeliveryRecord.Parser.ParseFrom(record.Message.Value ?? []);
            await remediation.RecordDeliveryAsync(delivery, abandon);
        }
        catch (Exception ex) when (ex is InvalidProtocolBufferException or ArgumentException)
        {
            // A record that can never be accepted is skipped (and said so); retrying it would stall the partition.
            RemediationEventsLog.Unusable(
                logger, "delivery record", record.Topic, record.Partition.Value, record.Offset.Value, ex);
        }
    }
}
