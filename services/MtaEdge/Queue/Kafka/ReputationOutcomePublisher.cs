using Gateway.ClusterCommon.Kafka;
using Gateway.Common.Mail;
using Gateway.V1;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Logging;

namespace Gateway.MtaEdge.Queue.Kafka;

/// <summary>
/// Tells sender intelligence what became of a client's mail (accepted, delivered, bounced), on the
/// reputation topic keyed by client address. Best effort: an outcome lost in a crash only makes the
/// statistics a little poorer, so nothing waits for these writes.
/// </summary>
public sealed class ReputationOutcomePublisher(
    KafkaEventProducer producer,
    KafkaTopics topics,
    TimeProvider time,
    ILogger<ReputationOutcomePublisher> logger)
{
    public void Accepted(QueuedMessage message) =>
        Publish(message, ReputationOutcomeKind.Accepted, message.Recipients.Count);

    public void Delivered(QueuedMessage message, int recipients) =>
        Publish(message, ReputationOutcomeKind.Delivered, recipients);

    public void Bounced(QueuedMessage message, int recipients) =>
        Publish(message, ReputationOutcomeKind.Bounced, recipients);

    private void Publish(QueuedMessage message, ReputationOutcomeKind kind, int recipients)
    {
        // Failure reports come from ourselves, not from a client worth a reputation.
        if (message.MailFrom.Length == 0 && message.ClientAddress == "127.0.0.1")
        {
            return;
        }

        var outcome = new ReputationOutcome
        {
            OutcomeId = $"{message.QueueId}:{kind}",
            Kind = kind,
            ClientIp = message.ClientAddress,
            SenderDomain = EnvelopeAddress.TryParse(message.MailFrom, out var sender) ? sender.Domain : "",
            QueueId = message.QueueId,
            Recipients = recipients,
            At = Timestamp.FromDateTimeOffset(time.GetUtcNow()),
        };
        _ = PublishAsync(outcome);
    }

    private async Task PublishAsync(ReputationOutcome outcome)
    {
        try
        {
            await producer.ProduceAsync(topics.ReputationOutcomes, outcome.ClientIp, outcome, CancellationToken.None);
        }
        catch (Exception ex)
        {
            KafkaQueueLog.OutcomeNotPublished(logger, outcome.QueueId, outcome.Kind.ToString(), ex);
        }
    }
}
