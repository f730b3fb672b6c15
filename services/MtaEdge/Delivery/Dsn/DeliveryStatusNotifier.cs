using Gateway.Common.Configuration;
using Gateway.Common.Mail;
using Gateway.MtaEdge.Queue;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit.Utils;

namespace Gateway.MtaEdge.Delivery.Dsn;

/// <summary>
/// Tells the sender about recipients that failed for good, by queueing a failure report from the
/// null sender through the same spool (so it is as durable as any accepted message).
/// </summary>
public sealed class DeliveryStatusNotifier(
    IMessageSpool spool,
    DomainSet domains,
    IOptions<GatewayOptions> gatewayOptions,
    TimeProvider time,
    ILogger<DeliveryStatusNotifier> logger)
{
    /// <summary>Queues a report when one is due; returns its queue id, or null when none is sent.</summary>
    /// <exception cref="Exception">The spool could not store the report.</exception>
    public async Task<string?> NotifyAsync(
        QueuedMessage original,
        ReadOnlyMemory<byte> content,
        IReadOnlyList<QueuedRecipient> failed,
        CancellationToken cancellationToken)
    {
        if (failed.Count == 0)
        {
            return null;
        }

        // RFC 5321 section 4.5.5 and RFC 3464 section 2: nothing is ever reported to the null
        // sender; that is what keeps two systems from bouncing reports back and forth.
        if (original.MailFrom.Length == 0)
        {
            DeliveryLog.NoReportNullSender(logger, original.QueueId);
            return null;
        }

        if (!EnvelopeAddress.TryParse(original.MailFrom, out var sender) || !domains.IsLocal(sender.Domain))
        {
            // TODO(issue 3): reports to senders outside our domains need outbound delivery (MX lookup,
            // relay), which the edge does not have yet; until then the failure is only logged.
            DeliveryLog.NoReportRemoteSender(logger, original.QueueId);
            return null;
        }

        var hostname = gatewayOptions.Value.Hostname;
        var now = time.GetUtcNow();
        var messageId = "<" + MimeUtils.GenerateMessageId(HostForMessageId(hostname)) + ">";
        var report = DsnMessageBuilder.Build(original, content.Span, failed, hostname, messageId, now, out var utf8);
        var envelope = new QueuedMessage
        {
            QueueId = spool.NewQueueId(),
            MailFrom = "",
            Recipients = [new QueuedRecipient { Address = original.MailFrom }],
            ClientAddress = "127.0.0.1",
            ClientHelo = hostname,
            ReceivedAt = now,
            MessageId = messageId,
            SmtpUtf8 = utf8,
            Body = report.Any(b => b > 0x7F) ? "8BITMIME" : "",
        };

        await spool.StoreAsync(envelope, report, cancellationToken);
        DeliveryLog.ReportQueued(logger, original.QueueId, envelope.QueueId, failed.Count);
        return envelope.QueueId;
    }

    private static string HostForMessageId(string hostname)
    {
        var host = new string(hostname.Where(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-').ToArray());
        return host.Length == 0 ? "localhost" : host;
    }
}
