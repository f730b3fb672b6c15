using Gateway.MtaEdge.Delivery;
using Gateway.MtaEdge.Queue;
using Gateway.V1;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Logging;

namespace Gateway.MtaEdge.Admin;

/// <summary>
/// What an operator can do with the queue: list it with counts by state, show one message, retry
/// one or all now, delete one. Retry and delete claim the message first (<see cref="DeliveryClaims"/>),
/// so they never overlap a delivery attempt of the same message: during an attempt they answer
/// <see cref="QueueOperationOutcome.Busy"/> and the operator tries again a moment later.
/// </summary>
public sealed class QueueAdministrator(
    FileMessageSpool spool,
    DeliverySchedule schedule,
    DeliveryClaims claims,
    TimeProvider time,
    ILogger<QueueAdministrator> logger)
{
    private const string Holder = "admin";

    /// <summary>Messages listed at most, whatever is asked.</summary>
    public const int MaxListed = 10_000;

    public QueueListing List(QueuedMessageState filter, int limit)
    {
        limit = Math.Clamp(limit, 1, MaxListed);
        var listing = new QueueListing { Status = spool.GetStatus(), Counts = new QueueCounts() };
        var matching = new List<QueuedMessage>();
        foreach (var message in spool.Messages)
        {
            var state = StateOf(message);
            switch (state)
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

            foreach (var recipient in message.Recipients)
            {
                switch (recipient.Status)
                {
                    case RecipientStatus.Pending:
                        listing.Counts.RecipientsPending++;
                        break;
                    case RecipientStatus.Delivered:
                        listing.Counts.RecipientsDelivered++;
                        break;
                    default:
                        listing.Counts.RecipientsFailed++;
                        break;
                }
            }

            if (filter == QueuedMessageState.Unspecified || filter == state)
            {
                matching.Add(message);
            }
        }

        listing.Messages.AddRange(matching
            .OrderBy(m => m.ReceivedAt).ThenBy(m => m.QueueId, StringComparer.Ordinal)
            .Take(limit)
            .Select(Describe));
        listing.Truncated = matching.Count > limit;
        return listing;
    }

    /// <summary>One message with its recipients; null when it is not queued.</summary>
    public QueuedMessageInfo? Show(string queueId) =>
        FileMessageSpool.IsSafeQueueId(queueId) && spool.Find(queueId) is { } message ? Describe(message) : null;

    /// <summary>Makes the message due now.</summary>
    public QueueOperationOutcome Retry(string queueId) => WithClaim(queueId, message =>
    {
        message.NextAttemptAt = time.GetUtcNow();
        schedule.Schedule(queueId, message.NextAttemptAt);
        QueueAdminLog.RetryRequested(logger, queueId);
    });

    /// <summary>Makes every waiting message due now; returns how many. Messages in delivery are skipped.</summary>
    public int RetryAll()
    {
        var count = 0;
        foreach (var message in spool.Messages.ToList())
        {
            if (Retry(message.QueueId) == QueueOperationOutcome.Done)
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>
    /// Takes the message out of the queue without delivering or reporting it (the operator decided
    /// it should not go anywhere). Its files are removed from the spool.
    /// </summary>
    public QueueOperationOutcome Delete(string queueId) => WithClaim(queueId, message =>
    {
        spool.Remove(queueId);
        QueueAdminLog.Deleted(logger, queueId, message.Recipients.Count(r => r.Status == RecipientStatus.Pending));
    });

    /// <summary>
    /// Runs <paramref name="act"/> on the queued message while holding its delivery claim, so no delivery attempt
    /// runs at the same time: NotFound when there is no such message (or it left while we claimed it), Busy when
    /// a delivery holds it now.
    /// </summary>
    private QueueOperationOutcome WithClaim(string queueId, Action<QueuedMessage> act)
    {
        if (!FileMessageSpool.IsSafeQueueId(queueId) || spool.Find(queueId) is null)
        {
            return QueueOperationOutcome.NotFound;
        }

        if (!claims.TryClaim(queueId, Holder))
        {
            return QueueOperationOutcome.Busy;
        }

        try
        {
            if (spool.Find(queueId) is not { } message)
            {
                return QueueOperationOutcome.NotFound;
            }

            act(message);
            return QueueOperationOutcome.Done;
        }
        finally
        {
            claims.Release(queueId);
        }
    }

    private QueuedMessageState StateOf(QueuedMessage message) =>
        claims.IsClaimed(message.QueueId) ? QueuedMessageState.Active
        : message.Attempts == 0 ? QueuedMessageState.New
        : QueuedMessageState.Deferred;

    private QueuedMessageInfo Describe(QueuedMessage message)
    {
        var info = new QueuedMessageInfo
        {
            QueueId = message.QueueId,
            State = StateOf(message),
            MailFrom = message.MailFrom,
            ReceivedAt = Timestamp.FromDateTimeOffset(message.ReceivedAt),
            Size = message.Size,
            Attempts = message.Attempts,
            NextAttemptAt = Timestamp.FromDateTimeOffset(message.NextAttemptAt),
            ClientAddress = message.ClientAddress,
            ClientHelo = message.ClientHelo,
            MessageId = message.MessageId,
            Smtputf8 = message.SmtpUtf8,
            DsnReturn = message.DsnReturn,
            DsnEnvelopeId = message.DsnEnvelopeId,
        };
        info.Recipients.AddRange(message.Recipients.Select(r => new QueuedRecipientInfo
        {
            Address = r.Address,
            State = r.Status.ToAdminState(),
            LastResult = r.LastResult ?? "",
            DsnNotify = r.DsnNotify,
            DsnOriginalRecipient = r.DsnOriginalRecipient,
        }));
        return info;
    }
}
