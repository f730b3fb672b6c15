using Confluent.Kafka;
using Gateway.ClusterCommon.Kafka;
using Gateway.Contracts;
using Gateway.V1;
using Google.Protobuf;
using Timestamp = Google.Protobuf.WellKnownTypes.Timestamp;

namespace Gateway.RetroRemediation.Host.Events;

/// <summary>
/// Acts on convictions and reversals: moves (or restores) every remembered copy, publishes what it did on the
/// remediation actions topic, then marks the event done. The offset is stored only after all three, so a crash
/// means the event is read again (at-least-once); the copies' state machine and the done mark make that
/// harmless. One event at a time, so a conviction and its reversal (same partition) are applied in order.
/// </summary>
public sealed class FingerprintEventConsumer(
    KafkaClientFactory factory,
    KafkaTopics topics,
    KafkaEventProducer producer,
    IRetroRemediation remediation,
    FingerprintEventLedger ledger,
    TimeProvider time,
    ILogger<FingerprintEventConsumer> logger)
    : KafkaConsumerService(factory, logger, time)
{
    protected override string GroupId => "gateway-remediation-events";

    protected override IReadOnlyCollection<string> Topics => [topics.FingerprintEvents];

    protected override int Concurrency => 1;

    protected override TimeSpan FinishGrace => TimeSpan.FromSeconds(60);

    protected override async Task HandleAsync(ConsumeResult<string, byte[]> record, CancellationToken abandon)
    {
        FingerprintEvent fingerprintEvent;
        try
        {
            fingerprintEvent = FingerprintEvent.Parser.ParseFrom(record.Message.Value ?? []);
        }
        catch (InvalidProtocolBufferException ex)
        {
            RemediationEventsLog.Unusable(
                logger, "fingerprint event", record.Topic, record.Partition.Value, record.Offset.Value, ex);
            return;
        }

        if (fingerprintEvent.EventId.Length is > 0 and <= 200 && await ledger.IsDoneAsync(fingerprintEvent.EventId))
        {
            RemediationEventsLog.AlreadyHandled(logger, fingerprintEvent.EventId);
            return;
        }

        RemediationSummary summary;
        try
        {
            summary = await remediation.HandleFingerprintEventAsync(fingerprintEvent, abandon);
        }
        catch (ArgumentException ex)
        {
            RemediationEventsLog.Malformed(logger, fingerprintEvent.EventId, ex);
            return;
        }

        var action = new RemediationAction
        {
            EventId = fingerprintEvent.EventId,
            Kind = fingerprintEvent.Kind,
            Summary = summary,
            At = Timestamp.FromDateTimeOffset(Time.GetUtcNow()),
        };
        action.Fingerprints.AddRange(fingerprintEvent.Fingerprints);
        await producer.ProduceAsync(topics.RemediationActions, record.Message.Key ?? fingerprintEvent.EventId,
            action, CancellationToken.None);
        if (fingerprintEvent.EventId.Length is > 0 and <= 200)
        {
            await ledger.MarkDoneAsync(fingerprintEvent.EventId);
        }
    }
}
