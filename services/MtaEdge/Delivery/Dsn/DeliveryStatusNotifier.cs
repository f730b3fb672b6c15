using Gateway.Common.Configuration;
using Gateway.Common.Mail;
using Gateway.MtaEdge.Queue;
using Gateway.MtaEdge.Smtp.Addressing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit.Utils;

namespace Gateway.MtaEdge.Delivery.Dsn;

/// <summary>
/// Tells the sender what happened, by queueing a delivery status notification from the null sender
/// through the same spool (so it is as durable as any accepted message): failures, and successes
/// for recipients that asked with NOTIFY=SUCCESS. Each recipient's NOTIFY is honoured (RFC 3461 4.1):
/// NEVER means no report, and without NOTIFY only failures are reported. Senders outside the local
/// domains get reports only when <see cref="DeliveryOptions.RemoteTargets"/> says how to reach them.
/// </summary>
public sealed class DeliveryStatusNotifier(
    IMessageSpool spool,
    DomainSet domains,
    IOptions<GatewayOptions> gatewayOptions,
    TimeProvider time,
    ILogger<DeliveryStatusNotifier> logger,
    IOptions<DeliveryOptions>? deliveryOptions = null)
{
    /// <summary>Queues a failure report when one is due; returns its queue id, or null when none is sent.</summary>
    /// <exception cref="Exception">The spool could not store the report.</exception>
    public Task<string?> NotifyAsync(
        QueuedMessage original,
        ReadOnlyMemory<byte> content,
        IReadOnlyList<QueuedRecipient> failed,
        CancellationToken cancellationToken) =>
        NotifyAsync(
            original, content, failed.Select(r => new DsnEntry(r, DsnEntry.Failed)).ToList(), cancellationToken);

    /// <summary>
    /// Queues one report for the entries whose recipients want one; returns its queue id, or null
    /// when none is sent.
    /// </summary>
    /// <exception cref="Exception">The spool could not store the report.</exception>
    public async Task<string?> NotifyAsync(
        QueuedMessage original,
        ReadOnlyMemory<byte> content,
        IReadOnlyList<DsnEntry> entries,
        CancellationToken cancellationToken)
    {
        var wanted = entries.Where(e => DsnNotify.Wants(
            e.Recipient.DsnNotify, e.Action == DsnEntry.Failed ? "FAILURE" : "SUCCESS")).ToList();
        if (wanted.Count == 0)
        {
            if (entries.Count > 0)
            {
                DeliveryLog.NoReportNotWanted(logger, original.QueueId, entries.Count);
            }

            return null;
        }

        // RFC 5321 section 4.5.5 and RFC 3464 section 2: nothing is ever reported to the null
        // sender; that is what keeps two systems from bouncing reports back and forth.
        if (original.MailFrom.Length == 0)
        {
            DeliveryLog.NoReportNullSender(logger, original.QueueId);
            return null;
        }

        var remoteAllowed = deliveryOptions?.Value.RemoteTargets.Count > 0;
        if (!EnvelopeAddress.TryParse(original.MailFrom, out var sender)
            || (!domains.IsLocal(sender.Domain) && !remoteAllowed))
        {
            // Reaching a sender elsewhere needs Gateway:Delivery:RemoteTargets (MX or a relay); it is
            // off by default, as an inbound gateway may have no way out.
            DeliveryLog.NoReportRemoteSender(logger, original.QueueId);
            return null;
        }

        var hostname = gatewayOptions.Value.Hostname;
        var now = time.GetUtcNow();
        var messageId = "<" + MimeUtils.GenerateMessageId(HostForMessageId(hostname)) + ">";
        var report = DsnMessageBuilder.Build(original, content.Span, wanted, hostname, messageId, now, out var utf8);
        var envelope = new QueuedMessage
        {
            QueueId = spool.NewQueueId(),
            MailFrom = "",

            // A report about a report is never wanted (the null sender would get it anyway).
            Recipients = [new QueuedRecipient { Address = original.MailFrom, DsnNotify = DsnNotify.Never }],
            ClientAddress = "127.0.0.1",
            ClientHelo = hostname,
            ReceivedAt = now,
            MessageId = messageId,
            SmtpUtf8 = utf8,
            Body = report.Any(b => b > 0x7F) ? "8BITMIME" : "",
        };

        await spool.StoreAsync(envelope, report, cancellationToken);
        DeliveryLog.ReportQueued(logger, original.QueueId, envelope.QueueId, wanted.Count);
        return envelope.QueueId;
    }

    private static string HostForMessageId(string hostname)
    {
        var host = new string(hostname.Where(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-').ToArray());
        return host.Length == 0 ? "localhost" : host;
    }
}
