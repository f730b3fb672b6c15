using Gateway.V1;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace Gateway.MtaEdge.Queue.Kafka;

/// <summary>Between the spool's <see cref="QueuedMessage"/> and the queue topic's <see cref="QueuedMail"/>.</summary>
public static class QueuedMailConverter
{
    public static QueuedMail ToMail(QueuedMessage message, ReadOnlySpan<byte> content)
    {
        var mail = new QueuedMail
        {
            QueueId = message.QueueId,
            MailFrom = message.MailFrom,
            ClientAddress = message.ClientAddress,
            ClientHelo = message.ClientHelo,
            ReceivedAt = Timestamp.FromDateTimeOffset(message.ReceivedAt),
            MessageId = message.MessageId,
            SmtpUtf8 = message.SmtpUtf8,
            Body = message.Body,
            Attempts = message.Attempts,
            NotBefore = Timestamp.FromDateTimeOffset(message.NextAttemptAt),
            Content = ByteString.CopyFrom(content),
        };
        mail.Fingerprints.AddRange(message.Fingerprints);
        mail.Recipients.AddRange(message.Recipients
            .Where(r => r.Status == RecipientStatus.Pending)
            .Select(r => new QueuedMailRecipient { Address = r.Address, LastResult = r.LastResult ?? "" }));
        return mail;
    }

    /// <summary>The envelope of a queue record as the delivery targets and the failure reports expect it.</summary>
    public static QueuedMessage ToMessage(QueuedMail mail) => new()
    {
        QueueId = mail.QueueId,
        MailFrom = mail.MailFrom,
        Recipients = mail.Recipients
            .Select(r => new QueuedRecipient
            {
                Address = r.Address,
                LastResult = r.LastResult.Length > 0 ? r.LastResult : null,
            })
            .ToList(),
        ClientAddress = mail.ClientAddress,
        ClientHelo = mail.ClientHelo,
        ReceivedAt = mail.ReceivedAt?.ToDateTimeOffset() ?? DateTimeOffset.UnixEpoch,
        Fingerprints = mail.Fingerprints.ToList(),
        MessageId = mail.MessageId,
        Size = mail.Content.Length,
        SmtpUtf8 = mail.SmtpUtf8,
        Body = mail.Body,
        Attempts = mail.Attempts,
        NextAttemptAt = mail.NotBefore?.ToDateTimeOffset() ?? DateTimeOffset.UnixEpoch,
    };

    /// <summary>Checks what delivery relies on; returns the problem, or null when the record is usable.</summary>
    public static string? Validate(QueuedMail mail)
    {
        if (!FileMessageSpool.IsSafeQueueId(mail.QueueId))
        {
            return "the queue id is missing or malformed";
        }

        if (mail.Recipients.Count == 0 || mail.Recipients.Any(r => r.Address.Length is 0 or > 320))
        {
            return "the recipient list is empty or holds an unusable address";
        }

        return mail.ReceivedAt is null ? "received_at is missing" : null;
    }
}
