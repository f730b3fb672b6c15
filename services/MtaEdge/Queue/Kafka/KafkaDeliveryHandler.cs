using System.Diagnostics;
using Confluent.Kafka;
using Gateway.ClusterCommon.Kafka;
using Gateway.MtaEdge.Delivery;
using Gateway.MtaEdge.Delivery.Dsn;
using Gateway.V1;
using Google.Protobuf;
using Timestamp = Google.Protobuf.WellKnownTypes.Timestamp;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gateway.MtaEdge.Queue.Kafka;

/// <summary>
/// One delivery attempt for one queue or retry record: claim each recipient in the ledger, deliver the claimed
/// ones, mark the outcome, publish delivery records, failure reports and a retry record. It returns (and so
/// lets the consumer commit the record's offset) only when all of that is durable; any failure throws, and the
/// record is handled again, which the ledger makes harmless.
/// </summary>
public sealed class KafkaDeliveryHandler
{
    private readonly DeliveryLedger _ledger;
    private readonly KafkaQueueIndex _index;
    private readonly IDeliveryTarget _target;
    private readonly IDeliveredCopyProbe _probe;
    private readonly DeliveryStatusNotifier _notifier;
    private readonly KafkaEventProducer _producer;
    private readonly KafkaTopics _topics;
    private readonly DelayLadder _ladder;
    private readonly ReputationOutcomePublisher _outcomes;
    private readonly DeliveryOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<KafkaDeliveryHandler> _logger;

    public KafkaDeliveryHandler(
        DeliveryLedger ledger,
        KafkaQueueIndex index,
        IDeliveryTarget target,
        IDeliveredCopyProbe probe,
        DeliveryStatusNotifier notifier,
        KafkaEventProducer producer,
        KafkaTopics topics,
        DelayLadder ladder,
        ReputationOutcomePublisher outcomes,
        IOptions<DeliveryOptions> options,
        TimeProvider time,
        ILogger<KafkaDeliveryHandler> logger)
    {
        _ledger = ledger;
        _index = index;
        _target = target;
        _probe = probe;
        _notifier = notifier;
        _producer = producer;
        _topics = topics;
        _ladder = ladder;
        _outcomes = outcomes;
        _options = options.Value;
        _time = time;
        _logger = logger;
    }

    public string TargetDescription => _target.Description;

    public async Task HandleAsync(ConsumeResult<string, byte[]> record, CancellationToken abandon)
    {
        // Step 1: read the record. One that cannot be read never will be: set it aside, durably, and go on.
        QueuedMail mail;
        string? problem;
        try
        {
            mail = QueuedMail.Parser.ParseFrom(record.Message.Value ?? []);
            problem = QueuedMailConverter.Validate(mail);
        }
        catch (InvalidProtocolBufferException ex)
        {
            mail = new QueuedMail();
            problem = "not a QueuedMail: " + ex.Message;
        }

        if (problem is not null)
        {
            await DeadLetterAsync(record, problem);
            return;
        }

        abandon.ThrowIfCancellationRequested();
        var message = QueuedMailConverter.ToMessage(mail);
        var content = mail.Content.Memory;

        // An administrator deleted the message, or a "retry now" wrote a newer record of it: nothing to do here.
        var generation = KafkaHeaders.GetLong(record.Message.Headers, KafkaQueueIndex.GenerationHeader) ?? 0;
        var (deleted, current) = await _index.CheckAsync(message.QueueId);
        if (deleted)
        {
            KafkaQueueLog.DroppedDeleted(_logger, message.QueueId, message.Recipients.Count);
            await _index.RemoveAsync(message.QueueId);
            return;
        }

        if (current > generation)
        {
            KafkaQueueLog.Superseded(_logger, message.QueueId, generation, current);
            return;
        }

        // Step 2: claim. Recipients done before (a record read again) need nothing but their delivery record.
        var claims = new List<(QueuedRecipient Recipient, DeliveryClaim Claim)>();
        var waiting = new List<QueuedRecipient>();
        var alreadyDelivered = 0;
        var finalFailed = new List<QueuedRecipient>();
        foreach (var recipient in message.Recipients)
        {
            var claim = await _ledger.ClaimAsync(message.QueueId, recipient.Address);
            switch (claim.State)
            {
                case DeliveryLedgerState.Delivered:
                    KafkaQueueLog.AlreadyDone(_logger, message.QueueId, recipient.Address, "delivered");
                    await PublishDeliveryRecordAsync(message, recipient, claim.Location);
                    alreadyDelivered++;
                    break;
                case DeliveryLedgerState.Failed:
                    KafkaQueueLog.AlreadyDone(_logger, message.QueueId, recipient.Address, "failed");
                    finalFailed.Add(recipient);
                    break;
                case DeliveryLedgerState.Held:
                    KafkaQueueLog.Held(_logger, message.QueueId, recipient.Address);
                    waiting.Add(recipient);
                    break;
                case DeliveryLedgerState.Orphaned when await ProbeAsync(message, recipient) == CopyProbeResult.Found:
                    await _ledger.MarkDeliveredAsync(claim, "");
                    await PublishDeliveryRecordAsync(message, recipient, "");
                    alreadyDelivered++;
                    break;
                default:
                    claims.Add((recipient, claim));
                    break;
            }
        }

        // Step 3: deliver what we hold. Not cancellable: an attempt in progress finishes and records its outcome.
        var delivered = new List<RecipientDeliveryResult>();
        var failed = new List<QueuedRecipient>();
        var retry = new List<QueuedRecipient>(waiting);
        var failedClaims = new List<DeliveryClaim>();
        if (claims.Count > 0)
        {
            await _index.MarkActiveAsync(message.QueueId, _ledger.ClaimTimeout);
            var started = Stopwatch.GetTimestamp();
            var results = await DeliverAsync(message, content, claims.Select(c => c.Recipient).ToList());
            var elapsed = Stopwatch.GetElapsedTime(started);
            message.Attempts++;
            var now = _time.GetUtcNow();
            var expired = now - message.ReceivedAt >= _options.MaxQueueLifetime;

            // Step 4: the ledger first. "Delivered" is written before anything else so that no later failure
            // in this handler can lead to a second delivery.
            for (var i = 0; i < results.Count; i++)
            {
                var result = results[i];
                var claim = claims[i].Claim;
                result.Recipient.LastResult = result.Reply;
                switch (result.Outcome)
                {
                    case DeliveryOutcome.Delivered:
                        await _ledger.MarkDeliveredAsync(claim, result.Location);
                        delivered.Add(result);
                        break;
                    case DeliveryOutcome.PermanentFailure:
                        failed.Add(result.Recipient);
                        failedClaims.Add(claim);
                        break;
                    case DeliveryOutcome.TemporaryFailure when expired:
                        result.Recipient.LastResult = $"{result.Reply} (gave up: still failing after "
                            + $"{_options.MaxQueueLifetime.TotalHours:0.#} h in the queue)";
                        failed.Add(result.Recipient);
                        failedClaims.Add(claim);
                        break;
                    default:
                        await _ledger.ReleaseAsync(claim);
                        retry.Add(result.Recipient);
                        break;
                }
            }

            DeliveryMetrics.Attempts.WithLabels("delivered").Inc(delivered.Count);
            DeliveryMetrics.Attempts.WithLabels("deferred").Inc(results.Count - delivered.Count - failed.Count);
            DeliveryMetrics.Attempts.WithLabels("failed").Inc(failed.Count);
            DeliveryMetrics.Duration.Observe(elapsed.TotalSeconds);
            KafkaQueueLog.Attempt(_logger, message.Attempts, message.QueueId, _target.Description, results.Count,
                delivered.Count, results.Count - delivered.Count - failed.Count, failed.Count,
                (long)elapsed.TotalMilliseconds);
        }

        // Step 5: tell retro-remediation where each copy landed (acks=all, before the offset moves on).
        foreach (var result in delivered)
        {
            await PublishDeliveryRecordAsync(message, result.Recipient, result.Location);
        }

        // Step 6: failure reports, then the final marks: a crash in between may report twice, never zero times.
        if (failed.Count > 0)
        {
            try
            {
                await _notifier.NotifyAsync(message, content, failed, CancellationToken.None);
            }
            catch (Exception ex)
            {
                KafkaQueueLog.ReportFailed(_logger, message.QueueId, ex);
                throw;
            }

            foreach (var claim in failedClaims)
            {
                await _ledger.MarkFailedAsync(claim);
            }

            _outcomes.Bounced(message, failed.Count);
        }
        else if (retry.Count == 0 && delivered.Count + alreadyDelivered > 0)
        {
            _outcomes.Delivered(message, delivered.Count + alreadyDelivered);
        }

        // Step 7: whatever is left goes to the delay topic for its attempt count.
        if (retry.Count > 0)
        {
            var location = await PublishRetryAsync(mail, message, retry, generation);
            finalFailed.AddRange(failed);
            await _index.RecordAttemptAsync(message, location, message.Recipients.Select(r =>
                new QueueIndexRecipient(r.Address,
                    retry.Contains(r) ? RecipientStatus.Pending
                    : finalFailed.Contains(r) ? RecipientStatus.Failed
                    : RecipientStatus.Delivered,
                    r.LastResult ?? "")));
        }
        else
        {
            await _index.RemoveAsync(message.QueueId);
        }
    }

    private async Task<IReadOnlyList<RecipientDeliveryResult>> DeliverAsync(
        QueuedMessage message, ReadOnlyMemory<byte> content, List<QueuedRecipient> recipients)
    {
        try
        {
            var results = await _target.DeliverAsync(message, content, recipients, CancellationToken.None);
            if (results.Count == recipients.Count && results.Select(r => r.Recipient).SequenceEqual(recipients))
            {
                return results;
            }

            throw new InvalidOperationException($"{_target.Description} returned results for other recipients");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Targets report failures as results; an exception is a bug, and the mail must still wait.
            return recipients.Select(r => RecipientDeliveryResult.Temporary(
                r, "451 4.3.0 Internal error during delivery: " + ex.GetType().Name)).ToList();
        }
    }

    private async Task<CopyProbeResult> ProbeAsync(QueuedMessage message, QueuedRecipient recipient)
    {
        CopyProbeResult result;
        try
        {
            result = await _probe.FindAsync(message, recipient.Address, CancellationToken.None);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            result = CopyProbeResult.Unknown;
            KafkaQueueLog.ProbeFailed(_logger, message.QueueId, ex);
        }

        KafkaQueueMetrics.Orphans.WithLabels(result.ToString().ToLowerInvariant()).Inc();
        KafkaQueueLog.Orphaned(_logger, message.QueueId, recipient.Address, result.ToString());
        return result;
    }

    private async Task PublishDeliveryRecordAsync(QueuedMessage message, QueuedRecipient recipient, string location)
    {
        var record = DeliveryRecords.For(message, recipient.Address, _target.StoreKind, location, _time.GetUtcNow());
        try
        {
            await _producer.ProduceAsync(_topics.Delivered, message.QueueId, record, CancellationToken.None);
        }
        catch (Exception ex)
        {
            KafkaQueueLog.RecordNotPublished(_logger, message.QueueId, recipient.Address, ex);
            throw;
        }
    }

    private async Task<TopicPartitionOffset> PublishRetryAsync(
        QueuedMail mail, QueuedMessage message, List<QueuedRecipient> retry, long generation)
    {
        var step = _ladder.StepFor(message.Attempts);
        var delay = _ladder.Delays[step];
        var topic = _ladder.Topics[step];
        var notBefore = _time.GetUtcNow() + delay;
        var next = mail.Clone();
        next.Attempts = message.Attempts;
        next.NotBefore = Timestamp.FromDateTimeOffset(notBefore);
        next.Recipients.Clear();
        next.Recipients.AddRange(retry.Select(r => new QueuedMailRecipient
        {
            Address = r.Address,
            LastResult = r.LastResult ?? "",
        }));
        var headers = new Headers();
        KafkaHeaders.SetLong(headers, KafkaHeaders.NotBefore, notBefore.ToUnixTimeMilliseconds());
        if (generation > 0)
        {
            KafkaHeaders.SetLong(headers, KafkaQueueIndex.GenerationHeader, generation);
        }

        // Durable before the offset of the record we were given moves on: at-least-once across the hop.
        var location = await _producer.ProduceAsync(topic, message.QueueId, next, CancellationToken.None, headers);
        KafkaQueueLog.RetryQueued(_logger, message.QueueId, retry.Count, (long)delay.TotalSeconds, topic);
        message.NextAttemptAt = notBefore;
        return location;
    }

    private async Task DeadLetterAsync(ConsumeResult<string, byte[]> record, string reason)
    {
        KafkaQueueLog.RecordUnreadable(_logger, record.Topic, record.Partition.Value, record.Offset.Value, reason);
        var letter = new DeadLetter
        {
            SourceTopic = record.Topic,
            SourcePartition = record.Partition.Value,
            SourceOffset = record.Offset.Value,
            Reason = reason,
            Payload = ByteString.CopyFrom(record.Message.Value ?? []),
            At = Timestamp.FromDateTimeOffset(_time.GetUtcNow()),
        };
        await _producer.ProduceAsync(_topics.DeadLetter, record.Message.Key ?? "", letter, CancellationToken.None);
    }
}
