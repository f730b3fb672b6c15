using System.Text;
using Gateway.Contracts;
using Gateway.MtaEdge.Queue;
using Gateway.MtaEdge.Smtp.Protocol;
using Gateway.V1;
using Google.Protobuf;
using Microsoft.Extensions.Logging;

namespace Gateway.MtaEdge.Smtp.Message;

/// <summary>
/// The end of DATA: limits, trace headers, the fingerprint scan, then the spool. The reply is 250
/// only after <see cref="IMessageSpool.StoreAsync"/> returned, so a message the client believes
/// delivered is always on disk (RFC 5321 6.1); any failure on the way is a 4xx and the client keeps
/// its copy and retries.
/// </summary>
internal sealed class MessageIntake
{
    private readonly SmtpOptions _options;
    private readonly string _host;
    private readonly IFingerprintFilter _filter;
    private readonly IMessageSpool _spool;
    private readonly ILogger _logger;

    public MessageIntake(
        SmtpOptions options, string host, IFingerprintFilter filter, IMessageSpool spool, ILogger logger)
    {
        _options = options;
        _host = host;
        _filter = filter;
        _spool = spool;
        _logger = logger;
    }

    public async Task<IntakeOutcome> AcceptAsync(
        MessageIntakeRequest request, IMessageDecoder decoder, CancellationToken cancellationToken)
    {
        // 1. Limits found while the data streamed in.
        if (decoder.HasBareLineEnd)
        {
            return Refuse(request, "", SmtpReplies.BareLineEndInData, "bare-line-end");
        }

        if (decoder.IsTooLarge)
        {
            return Refuse(request, "", SmtpReplies.MessageTooBig, "size");
        }

        if (decoder.HasLongLine)
        {
            return Refuse(request, "", SmtpReplies.TextLineTooLong, "line-length");
        }

        // 2. The header section: its size and the mail-loop guard (RFC 5321 6.3).
        var data = decoder.Content.Memory;
        var header = HeaderScanner.Scan(data.Span, _options.MaxHeaderBytes);
        if (header.TooLarge)
        {
            return Refuse(request, "", SmtpReplies.HeaderTooBig, "header-size");
        }

        if (header.ReceivedCount > _options.MaxReceivedHeaders)
        {
            return Refuse(request, "", SmtpReplies.MailLoop, "loop");
        }

        // 3. The content as it will be delivered: our Received: first (RFC 5321 4.4), and a
        // Message-ID when the message has none, so its copies can be found again in the mailboxes.
        var transaction = request.Transaction;
        string queueId;
        try
        {
            queueId = _spool.NewQueueId();
        }
        catch (Exception ex)
        {
            SmtpLog.SpoolFailed(_logger, ex, request.SessionId, "");
            return Defer("", "spool-error");
        }

        var receivedAt = DateTimeOffset.UtcNow;
        // RFC 3848 and RFC 6531 4.3 protocol names; "S" for a session under TLS.
        var protocol = (!request.Extended ? "SMTP" : transaction.SmtpUtf8 ? "UTF8SMTP" : "ESMTP")
            + (request.Tls.Length > 0 ? "S" : "");
        var prefix = new StringBuilder(TraceHeaders.Received(
            request.Helo, request.ClientAddress, _host, protocol, queueId, transaction.Recipients, receivedAt,
            request.Tls));
        var messageId = header.MessageId;
        if (messageId is null)
        {
            messageId = TraceHeaders.MessageId(queueId, _host);
            prefix.Append("Message-ID: ").Append(messageId).Append("\r\n");
        }

        var prefixBytes = Encoding.UTF8.GetBytes(prefix.ToString());
        var content = new byte[prefixBytes.Length + data.Length];
        prefixBytes.CopyTo(content, 0);
        data.Span.CopyTo(content.AsSpan(prefixBytes.Length));
        decoder.Content.Clear();

        // 4. The fingerprint filter: known spam is refused before anything is acknowledged.
        var clientIp = TraceHeaders.AddressText(request.ClientAddress);
        ScanResult scan;
        try
        {
            var scanRequest = new ScanRequest
            {
                QueueId = queueId,
                Message = UnsafeByteOperations.UnsafeWrap(content),
                ClientIp = clientIp,
                MailFrom = transaction.MailFrom.Address,
            };
            scanRequest.Recipients.AddRange(transaction.Recipients);
            scan = await _filter.ScanAsync(scanRequest, cancellationToken);
        }
        catch (Exception ex)
        {
            SmtpLog.FilterFailed(_logger, ex, request.SessionId, queueId);
            return Defer(queueId, "filter-error");
        }

        var verdict = scan.Verdict;
        if (verdict?.Action == V1.Action.Reject)
        {
            var reply = SmtpReply.FromVerdict(
                verdict.SmtpCode, verdict.EnhancedCode, verdict.Text, SmtpReplies.FilterRefused);
            return Refuse(request, queueId, reply, SmtpMetrics.Label(verdict.Reason, "filter"));
        }

        if (verdict?.Action == V1.Action.Tempfail)
        {
            var reply = SmtpReply.FromVerdict(
                verdict.SmtpCode, verdict.EnhancedCode, verdict.Text, SmtpReplies.FilterTempFail);
            return Defer(queueId, SmtpMetrics.Label(verdict.Reason, "filter"), reply);
        }

        // 5. The spool. Only its successful return allows the 250.
        var message = new QueuedMessage
        {
            QueueId = queueId,
            MailFrom = transaction.MailFrom.Address,
            Recipients = transaction.Recipients.Select(r => new QueuedRecipient
            {
                Address = r,
                DsnNotify = transaction.DsnOf(r).Notify,
                DsnOriginalRecipient = transaction.DsnOf(r).OriginalRecipient,
            }).ToList(),
            ClientAddress = clientIp,
            ClientHelo = request.Helo,
            ReceivedAt = receivedAt,
            Fingerprints = scan.Fingerprints.ToList(),
            MessageId = messageId,
            Size = content.Length,
            SmtpUtf8 = transaction.SmtpUtf8,
            Body = transaction.Body,
            DsnReturn = transaction.DsnReturn,
            DsnEnvelopeId = transaction.DsnEnvelopeId,
            ReceivedOverTls = request.Tls.Length > 0,
            NextAttemptAt = receivedAt,
        };

        try
        {
            await _spool.StoreAsync(message, content, cancellationToken);
        }
        catch (Exception ex)
        {
            SmtpLog.SpoolFailed(_logger, ex, request.SessionId, queueId);
            return Defer(queueId, "spool-error");
        }

        SmtpMetrics.Messages.WithLabels("accepted", "ok").Inc();
        SmtpLog.MessageQueued(_logger, request.SessionId, queueId, content.Length, message.Recipients.Count);
        return new IntakeOutcome(new SmtpReply(250, "2.0.0", "Ok: queued as " + queueId), Stored: true);

        IntakeOutcome Defer(string id, string reason, SmtpReply? reply = null)
        {
            reply ??= SmtpReplies.LocalError;
            SmtpMetrics.Messages.WithLabels("deferred", reason).Inc();
            SmtpLog.MessageRefused(_logger, request.SessionId, id, reason, reply.Code, reply.EnhancedCode);
            return new IntakeOutcome(reply, Stored: false);
        }
    }

    private IntakeOutcome Refuse(MessageIntakeRequest request, string queueId, SmtpReply reply, string reason)
    {
        SmtpMetrics.Messages.WithLabels("refused", reason).Inc();
        SmtpLog.MessageRefused(_logger, request.SessionId, queueId, reason, reply.Code, reply.EnhancedCode);
        return new IntakeOutcome(reply, Stored: false);
    }
}
