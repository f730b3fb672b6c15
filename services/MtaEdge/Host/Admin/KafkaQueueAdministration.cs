using Confluent.Kafka;
using Gateway.AdminApi;
using Gateway.ClusterCommon.Kafka;
using Gateway.MtaEdge.Queue;
using Gateway.MtaEdge.Queue.Kafka;
using Gateway.V1;
using Timestamp = Google.Protobuf.WellKnownTypes.Timestamp;

namespace Gateway.MtaEdge.Host.Admin;

/// <summary>
/// Queue administration on a cluster edge, over the queue index in Redis (<see cref="KafkaQueueIndex"/>).
/// Retry writes the message's newest record again to the queue topic, one generation up, so it is delivered
/// now and the older delayed record finds itself superseded; delete leaves a marker the delivery handler obeys.
/// Both answer Busy while an attempt holds a recipient's claim in the delivery ledger, as the standalone does.
/// </summary>
public sealed class KafkaQueueAdministration(
    KafkaQueueIndex index,
    DeliveryLedger ledger,
    KafkaQueueRecordReader reader,
    KafkaEventProducer producer,
    KafkaTopics topics,
    IQueueInspector inspector,
    TimeProvider time,
    ILogger<KafkaQueueAdministration> logger) : IQueueAdministration
{
    /// <summary>Index entries read at most for one listing (the counts cover these).</summary>
    public const int MaxScanned = 100_000;

    public async Task<QueueListing> ListAsync(QueuedMessageState filter, int limit,
        CancellationToken cancellationToken)
    {
        var entries = await index.ReadAllAsync(MaxScanned);
        var listing = new QueueListing
        {
            Status = new QueueStatus { RecordsWaiting = await RecordsWaitingAsync(entries.Count, cancellationToken) },
            Counts = new QueueCounts(),
        };
        var now = time.GetUtcNow();
        var matching = new List<QueuedMessageInfo>();
        foreach (var entry in entries)
        {
            var info = Describe(entry, now);
            switch (info.State)
            {
                case QueuedMessageState.New:
                    listing.Counts.NewMessages++;
                    break;
                case QueuedMessageState.Active:
                    listing.Counts.ActiveMessages++;
                    break;
                default:
                    listing.Counts.DeferredMessages++;
                    break;
            }

            listing.Counts.RecipientsPending += info.Recipients.Count(r => r.State == QueuedRecipientState.Pending);
            listing.Counts.RecipientsDelivered +=
                info.Recipients.Count(r => r.State == QueuedRecipientState.Delivered);
            listing.Counts.RecipientsFailed += info.Recipients.Count(r => r.State == QueuedRecipientState.Failed);
            if (filter == QueuedMessageState.Unspecified || filter == info.State)
            {
                matching.Add(info);
            }
        }

        // The index is ordered by received time already; the id breaks ties as the standalone listing does.
        listing.Messages.AddRange(matching
            .OrderBy(m => m.ReceivedAt.ToDateTimeOffset()).ThenBy(m => m.QueueId, StringComparer.Ordinal)
            .Take(limit));
        listing.Truncated = matching.Count > limit;

        // Messages as the standalone listing counts them; Kafka's records waiting (RecordsWaiting) also count
        // each retry's and each superseded or deleted message's records until they are read.
        listing.Status.Messages = entries.Count;
        listing.Status.RecipientsPending = listing.Counts.RecipientsPending;
        listing.Status.OldestAgeSeconds = entries.Count == 0
            ? 0
            : Math.Max(0, (long)(now - entries.Min(e => e.ReceivedAt)).TotalSeconds);
        return listing;
    }

    /// <summary>
    /// Records waiting, from Kafka's committed offsets. While the brokers cannot be asked, the index's count stands
    /// in (never 0 for a queue that is not empty), so the listing still answers in the outage an operator most
    /// wants to look at.
    /// </summary>
    private async Task<int> RecordsWaitingAsync(int indexed, CancellationToken cancellationToken)
    {
        try
        {
            return (await Task.Run(inspector.GetStatus, cancellationToken)).Messages;
        }
        catch (KafkaException)
        {
            return indexed;
        }
    }

    public async Task<QueuedMessageInfo?> ShowAsync(string queueId, CancellationToken cancellationToken) =>
        FileMessageSpool.IsSafeQueueId(queueId) && await index.FindAsync(queueId) is { } entry
            ? Describe(entry, time.GetUtcNow())
            : null;

    public async Task<QueueActionOutcome> RetryAsync(string queueId, CancellationToken cancellationToken)
    {
        var (outcome, entry) = await FindIdleAsync(queueId);
        if (outcome != QueueActionOutcome.Done)
        {
            return outcome;
        }

        if (entry!.Location is not { } location
            || await reader.ReadAsync(location, cancellationToken) is not { } mail
            || mail.QueueId != queueId)
        {
            return QueueActionOutcome.Unavailable;
        }

        // Written first, raised second: a crash in between leaves two live records, which the ledger makes
        // harmless; the other order could leave none.
        var generation = entry.Generation + 1;
        mail.NotBefore = Timestamp.FromDateTimeOffset(time.GetUtcNow());
        var headers = new Headers();
        KafkaHeaders.SetLong(headers, KafkaQueueIndex.GenerationHeader, generation);
        try
        {
            await producer.ProduceAsync(topics.Queue, queueId, mail, CancellationToken.None, headers);
        }
        catch (KafkaException)
        {
            return QueueActionOutcome.Unavailable;
        }

        await index.RaiseGenerationAsync(queueId, generation);
        KafkaQueueAdminLog.RetryRequested(logger, queueId, generation);
        return QueueActionOutcome.Done;
    }

    public async Task<int> RetryAllAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var count = 0;
        foreach (var entry in await index.ReadAllAsync(MaxScanned))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (StateOf(entry, now) == QueuedMessageState.Deferred
                && await RetryAsync(entry.QueueId, cancellationToken) == QueueActionOutcome.Done)
            {
                count++;
            }
        }

        return count;
    }

    public async Task<QueueActionOutcome> DeleteAsync(string queueId, CancellationToken cancellationToken)
    {
        var (outcome, entry) = await FindIdleAsync(queueId);
        if (outcome != QueueActionOutcome.Done)
        {
            return outcome;
        }

        // The marker is what stops delivery; the index entry goes only after it is written.
        await index.MarkDeletedAsync(queueId);
        await index.RemoveAsync(queueId);
        KafkaQueueAdminLog.Deleted(logger, queueId, entry!.Recipients.Count(r => r.Status == RecipientStatus.Pending));
        return QueueActionOutcome.Done;
    }

    /// <summary>The indexed message when no attempt holds any of its pending recipients now.</summary>
    private async Task<(QueueActionOutcome Outcome, QueueIndexEntry? Entry)> FindIdleAsync(string queueId)
    {
        if (!FileMessageSpool.IsSafeQueueId(queueId) || await index.FindAsync(queueId) is not { } entry)
        {
            return (QueueActionOutcome.NotFound, null);
        }

        foreach (var recipient in entry.Recipients.Where(r => r.Status == RecipientStatus.Pending))
        {
            if (await ledger.IsClaimedAsync(queueId, recipient.Address))
            {
                return (QueueActionOutcome.Busy, entry);
            }
        }

        return (QueueActionOutcome.Done, entry);
    }

    private static QueuedMessageState StateOf(QueueIndexEntry entry, DateTimeOffset now) =>
        entry.BusyUntil > now ? QueuedMessageState.Active
        : entry.Attempts == 0 ? QueuedMessageState.New
        : QueuedMessageState.Deferred;

    private static QueuedMessageInfo Describe(QueueIndexEntry entry, DateTimeOffset now)
    {
        var info = new QueuedMessageInfo
        {
            QueueId = entry.QueueId,
            State = StateOf(entry, now),
            MailFrom = entry.MailFrom,
            ReceivedAt = Timestamp.FromDateTimeOffset(entry.ReceivedAt),
            Size = entry.Size,
            Attempts = entry.Attempts,
            NextAttemptAt = Timestamp.FromDateTimeOffset(entry.NextAttemptAt),
            ClientAddress = entry.ClientAddress,
            ClientHelo = entry.ClientHelo,
            MessageId = entry.MessageId,
            Smtputf8 = entry.SmtpUtf8,
        };
        info.Recipients.AddRange(entry.Recipients.Select(r => new QueuedRecipientInfo
        {
            Address = r.Address,
            State = r.Status.ToAdminState(),
            LastResult = r.LastResult,
        }));
        return info;
    }
}
