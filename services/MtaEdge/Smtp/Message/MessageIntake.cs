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

    /// <summary>Counts each message into the sender's profile; may defer a clean one (volume limits).</summary>
    public ISenderIntelligence? SenderIntelligence { get; init; }

    /// <summary>Spam-trap and abuse-mailbox intake; null when none is wired.</summary>
    public IEdgeReportIntake? ReportIntake { get; init; }

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

        // 4. Spam traps and the abuse mailbox first, so the scan already knows what a trap just taught.
        var clientIp = TraceHeaders.AddressText(request.ClientAddress);
        var recipients = transaction.Recipients.ToList();
        var consumed = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var intake = ReportIntake;
        if (intake is not null && recipients.Any(r => intake.RoleOf(r) != ReportRecipientRole.Mailbox))
        {
            try
            {
                var intakeRequest = new IntakeRequest
                {
                    QueueId = queueId,
                    Message = UnsafeByteOperations.UnsafeWrap(content),
                    MailFrom = transaction.MailFrom.Address,
                };
                intakeRequest.Recipients.AddRange(recipients);
                var result = await intake.IntakeAsync(intakeRequest, cancellationToken);
                consumed.UnionWith(result.ConsumedRecipients);
                SmtpLog.ReportIntake(_logger, request.SessionId, queueId, consumed.Count, result.Reports.Count);
            }
            catch (Exception ex)
            {
                // Above all the filter's store being down: nothing learned, nothing acknowledged.
                SmtpLog.ReportIntakeFailed(_logger, ex, request.SessionId, queueId);
                return Defer(queueId, "intake-error");
            }

            // A trap hit is a fact about the sender that only this intake knows: tell sender intelligence.
            var traps = consumed.Count(r => intake.RoleOf(r) == ReportRecipientRole.Trap);
            if (traps > 0)
            {
                await RecordTrapHitsAsync(request, traps, cancellationToken);
            }

            recipients.RemoveAll(consumed.Contains);
            if (recipients.Count == 0)
            {
                // Only traps (or undelivered abuse reports): learned, acknowledged, nothing to deliver.
                SmtpMetrics.Messages.WithLabels("accepted", "report").Inc();
                return new IntakeOutcome(new SmtpReply(250, "2.0.0", "Ok: report received as " + queueId), true);
            }
        }

        // 5. The fingerprint filter: known spam is refused before anything is acknowledged.
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
            scanRequest.Recipients.AddRange(recipients);
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
            await CountMessageAsync(request, recipients.Count, content.Length, ContentVerdict.Spam, cancellationToken);
            return Refuse(request, queueId, reply, SmtpMetrics.Label(verdict.Reason, "filter"));
        }

        if (verdict?.Action == V1.Action.Tempfail)
        {
            var reply = SmtpReply.FromVerdict(
                verdict.SmtpCode, verdict.EnhancedCode, verdict.Text, SmtpReplies.FilterTempFail);
            return Defer(queueId, SmtpMetrics.Label(verdict.Reason, "filter"), reply);
        }

        // 6. Sender intelligence counts the message (after the content verdict); over its volume limit a
        // clean message is deferred, a spam one is left to the content tiers' decision.
        var spam = scan.Classification == ScanClass.Spam;
        var count = await CountMessageAsync(
            request, recipients.Count, content.Length, spam ? ContentVerdict.Spam : ContentVerdict.Clean,
            cancellationToken);
        if (count is null)
        {
            return Defer(queueId, "sender-error", SmtpReplies.SenderCheckFailed);
        }

        if (!spam && count.Verdict is { } senderVerdict && senderVerdict.Action != V1.Action.Accept)
        {
            var reply = SmtpReply.FromVerdict(
                senderVerdict.SmtpCode, senderVerdict.EnhancedCode, senderVerdict.Text,
                senderVerdict.Action == V1.Action.Tempfail ? SmtpReplies.SenderDeferred : SmtpReplies.SenderRefused);
            return reply.Code / 100 == 4
                ? Defer(queueId, SmtpMetrics.Label(senderVerdict.Reason, "sender"), reply)
                : Refuse(request, queueId, reply, SmtpMetrics.Label(senderVerdict.Reason, "sender"));
        }

        // 7. The filter's X-Spam-* fields replace any the sender wrote (tag-instead-of-reject policy).
        if (scan.Headers.Count > 0 || HasSpamHeader(content))
        {
            content = SpamHeaderRewriter.Rewrite(content, scan.Headers);
        }

        // 8. The spool. Only its successful return allows the 250.
        var message = new QueuedMessage
        {
            QueueId = queueId,
            MailFrom = transaction.MailFrom.Address,
            Recipients = recipients.Select(r => new QueuedRecipient
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
            FromDomain = FromDomainReader.Read(header.From),
            ClientAllowListed = request.ClientAllowListed,
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

    /// <summary>
    /// CheckEndOfData with sender intelligence: null when the tier failed (the caller defers), an
    /// accepting decision when no tier is wired.
    /// </summary>
    private async Task<EndOfDataDecision?> CountMessageAsync(
        MessageIntakeRequest request, int recipients, long size, ContentVerdict content,
        CancellationToken cancellationToken)
    {
        if (SenderIntelligence is null)
        {
            return new EndOfDataDecision { Verdict = new Verdict { Action = V1.Action.Accept } };
        }

        try
        {
            return await SenderIntelligence.CheckEndOfDataAsync(
                new EndOfDataRequest
                {
                    SessionId = request.SessionId,
                    ClientIp = TraceHeaders.AddressText(request.ClientAddress),
                    Helo = request.Helo,
                    MailFrom = request.Transaction.MailFrom.Address,
                    Recipients = recipients,
                    SizeBytes = size,
                    Content = content,
                },
                cancellationToken);
        }
        catch (Exception ex)
        {
            SmtpLog.SenderCheckFailed(_logger, ex, request.SessionId, "end-of-data");
            return null;
        }
    }

    private async Task RecordTrapHitsAsync(MessageIntakeRequest request, int traps, CancellationToken cancellationToken)
    {
        if (SenderIntelligence is null)
        {
            return;
        }

        try
        {
            var from = request.Transaction.MailFrom;
            await SenderIntelligence.RecordOutcomeAsync(
                new OutcomeReport
                {
                    ClientIp = TraceHeaders.AddressText(request.ClientAddress),
                    SenderDomain = from.IsNull ? "" : from.NormalizedDomain,
                    Kind = OutcomeKind.TrapHit,
                    Count = traps,
                },
                cancellationToken);
        }
        catch (Exception ex)
        {
            // Reputation bookkeeping only: the message itself was learned all the same.
            SmtpLog.OutcomeFailed(_logger, ex, request.SessionId);
        }
    }

    /// <summary>True when the header section has a field whose name starts with X-Spam-.</summary>
    private static bool HasSpamHeader(ReadOnlySpan<byte> content)
    {
        var end = content.IndexOf("\r\n\r\n"u8);
        var header = end < 0 ? content : content[..(end + 2)];
        var position = 0;
        while (position < header.Length)
        {
            var line = header[position..];
            if (line.Length >= 7 && System.Text.Ascii.EqualsIgnoreCase(line[..7], "X-Spam-"u8))
            {
                return true;
            }

            var next = line.IndexOf((byte)'\n');
            if (next < 0)
            {
                break;
            }

            position += next + 1;
        }

        return false;
    }

    private IntakeOutcome Refuse(MessageIntakeRequest request, string queueId, SmtpReply reply, string reason)
    {
        SmtpMetrics.Messages.WithLabels("refused", reason).Inc();
        SmtpLog.MessageRefused(_logger, request.SessionId, queueId, reason, reply.Code, reply.EnhancedCode);
        return new IntakeOutcome(reply, Stored: false);
    }
}
