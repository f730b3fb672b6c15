using Gateway.MtaEdge.Queue;
using Gateway.V1;
using Google.Protobuf.WellKnownTypes;

namespace Gateway.MtaEdge.Delivery;

/// <summary>
/// The record retro-remediation keeps of one delivered copy, built the same way by the standalone delivery worker
/// (handed over in-process) and the cluster's Kafka delivery (published on the delivered topic).
/// </summary>
public static class DeliveryRecords
{
    public static DeliveryRecord For(
        QueuedMessage message, string recipient, MailboxStoreKind store, string location, DateTimeOffset deliveredAt)
    {
        var record = new DeliveryRecord
        {
            QueueId = message.QueueId,
            Recipient = recipient,
            Store = store,
            Folder = "INBOX",
            Location = location,
            MessageId = message.MessageId,
            Size = message.Size,
            EnvelopeSender = message.MailFrom,
            FromDomain = message.FromDomain,
            ClientAllowListed = message.ClientAllowListed,
            ClientIp = message.ClientAddress,
            DeliveredAt = Timestamp.FromDateTimeOffset(deliveredAt),
        };
        record.Fingerprints.AddRange(message.Fingerprints);
        return record;
    }
}
