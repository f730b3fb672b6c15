using System.Globalization;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using Gateway.MtaEdge.Delivery.Transfer;
using Gateway.MtaEdge.Queue;
using Gateway.MtaEdge.Smtp.Addressing;
using Gateway.V1;

namespace Gateway.MtaEdge.Delivery;

/// <summary>
/// Delivery over SMTP or LMTP: one connection and one mail transaction per attempt. What the
/// server answers decides each recipient (2xx delivered, 4xx retry, 5xx failed); what goes wrong
/// on the way (refused connection, timeout, broken protocol) leaves every undecided recipient for
/// a retry, marked as a host failure so a route with several hosts tries the next one. Over SMTP
/// the client uses STARTTLS as <see cref="DeliveryOptions.SmtpTls"/> says, and passes the DSN
/// parameters on to a next hop that offers DSN (RFC 3461 section 5.2.2).
/// </summary>
public abstract class MailTransferTarget : IDeliveryTarget
{
    private static readonly TimeSpan QuitTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Transactions on one connection before it is closed (bounds what one session can accumulate).</summary>
    private const int MaxTransactionsPerConnection = 100;

    private readonly DeliveryTargetAddress _address;
    private readonly DeliveryOptions _options;
    private readonly string _heloName;
    private readonly TransferProtocol _protocol;
    private readonly TransferSessionPool _pool;

    protected MailTransferTarget(
        TransferProtocol protocol, DeliveryTargetAddress address, DeliveryOptions options, string hostname)
    {
        _protocol = protocol;
        _address = address;
        _options = options;
        _heloName = HeloName(hostname);
        _pool = new TransferSessionPool(
            options.ConnectionReuseTime, options.Concurrency, MaxTransactionsPerConnection, QuitAsync);
    }

    public string Description => _address.ToString();

    /// <summary>Copies delivered to a mailbox server are reached again over IMAP.</summary>
    public MailboxStoreKind StoreKind => MailboxStoreKind.Imap;

    public async Task<IReadOnlyList<RecipientDeliveryResult>> DeliverAsync(
        QueuedMessage message,
        ReadOnlyMemory<byte> content,
        IReadOnlyList<QueuedRecipient> recipients,
        CancellationToken cancellationToken)
    {
        var results = new RecipientDeliveryResult?[recipients.Count];
        var useTls = _protocol == TransferProtocol.Smtp && _options.SmtpTls != SmtpTlsPolicy.None;
        try
        {
            try
            {
                await RunTransactionAsync(message, content, recipients, results, useTls, cancellationToken);
            }
            catch (TlsHandshakeException) when (_options.SmtpTls == SmtpTlsPolicy.May)
            {
                // Opportunistic TLS that fails is no reason to keep the mail: once more in plaintext,
                // as RFC 7435 section 3 suggests.
                Array.Clear(results);
                await RunTransactionAsync(message, content, recipients, results, useTls: false, cancellationToken);
            }
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested && IsConnectionProblem(exception))
        {
            // Whoever has no answer yet is tried again: the server may or may not have the message
            // (a reply lost after the final dot), so a retry can deliver twice (RFC 1047); never zero times.
            var reply = ConnectionFailureReply(exception);
            for (var i = 0; i < results.Length; i++)
            {
                results[i] ??= RecipientDeliveryResult.Temporary(recipients[i], reply) with { HostFailure = true };
            }
        }

        return results.Select((r, i) => (r ?? RecipientDeliveryResult.Temporary(
            recipients[i], "451 4.4.2 No reply for this recipient")) with { Target = Description }).ToList();
    }

    /// <summary>
    /// One transaction, on an idle connection from an earlier one when there is one (fewer handshakes
    /// for the next hop and for us), else on a new connection. An idle connection the server has
    /// meanwhile closed fails before any data went out, so the transaction simply starts over on a
    /// new connection: nothing can be delivered twice that way.
    /// </summary>
    private async Task RunTransactionAsync(
        QueuedMessage message,
        ReadOnlyMemory<byte> content,
        IReadOnlyList<QueuedRecipient> recipients,
        RecipientDeliveryResult?[] results,
        bool useTls,
        CancellationToken cancellationToken)
    {
        while (_pool.TryTake(out var idle))
        {
            var progress = new TransactionProgress();
            try
            {
                await TransactAsync(idle, message, content, recipients, results, progress, cancellationToken);
                return;
            }
            catch (Exception exception) when (!progress.DataSent && !cancellationToken.IsCancellationRequested
                                               && IsConnectionProblem(exception))
            {
                // Closed while idle; the connection is already disposed.
                Array.Clear(results);
            }
        }

        var session = await OpenAsync(recipients, results, useTls, cancellationToken);
        if (session is not null)
        {
            await TransactAsync(session, message, content, recipients, results, new TransactionProgress(),
                cancellationToken);
        }
    }

    /// <summary>
    /// Connects, reads the greeting, says hello and, as the policy says, starts TLS. Returns null when
    /// the host cannot be used, with every recipient's result set (a host failure: try the next host).
    /// </summary>
    private async Task<TransferSession?> OpenAsync(
        IReadOnlyList<QueuedRecipient> recipients,
        RecipientDeliveryResult?[] results,
        bool useTls,
        CancellationToken cancellationToken)
    {
        var connection = await MailTransferConnection.ConnectAsync(
            _address.Host, _address.Port, _options.ConnectTimeout, _options.CommandTimeout, cancellationToken);
        var keep = false;
        try
        {
            // Greeting and hello: a refusal here says nothing about this message (the server is busy,
            // misconfigured or not what we think), so it never fails a recipient for good.
            var greeting = await connection.ReadReplyAsync(cancellationToken);
            if (greeting.Code != 220)
            {
                SetAll(results, recipients, r => Transient(r, "greeting", greeting) with { HostFailure = true });
                return null;
            }

            var extensions = await HelloAsync(connection, cancellationToken);
            if (extensions is null)
            {
                SetAll(results, recipients, r => RecipientDeliveryResult.Temporary(
                    r, $"451 4.4.0 {Verb} refused by {Description}") with { HostFailure = true });
                await QuitAsync(connection);
                return null;
            }

            // STARTTLS (RFC 3207): after the handshake the session starts over with a new EHLO.
            if (useTls && extensions.ContainsKey("STARTTLS"))
            {
                var ready = await connection.CommandAsync("STARTTLS", cancellationToken);
                if (ready.Code == 220)
                {
                    try
                    {
                        await connection.StartTlsAsync(_address.Host, cancellationToken);
                    }
                    catch (Exception exception) when (exception is AuthenticationException or IOException)
                    {
                        throw new TlsHandshakeException(exception.Message, exception);
                    }

                    extensions = await HelloAsync(connection, cancellationToken);
                    if (extensions is null)
                    {
                        var refused = $"451 4.4.0 {Verb} after STARTTLS refused by {Description}";
                        SetAll(results, recipients, r => RecipientDeliveryResult.Temporary(r, refused)
                            with { HostFailure = true });
                        await QuitAsync(connection);
                        return null;
                    }
                }
            }

            if (_protocol == TransferProtocol.Smtp && _options.SmtpTls == SmtpTlsPolicy.Encrypt
                && connection.TlsDescription.Length == 0)
            {
                SetAll(results, recipients, r => RecipientDeliveryResult.Temporary(
                    r, $"451 4.7.4 TLS is required, but {Description} does not offer it") with { HostFailure = true });
                await QuitAsync(connection);
                return null;
            }

            keep = true;
            return new TransferSession(connection, extensions, DateTimeOffset.UtcNow);
        }
        finally
        {
            if (!keep)
            {
                await connection.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// MAIL, RCPT, DATA and the outcome on an open session. A transaction that ran to its end leaves
    /// the session clean, and it goes back to the pool; any other ending says QUIT.
    /// </summary>
    private async Task TransactAsync(
        TransferSession session,
        QueuedMessage message,
        ReadOnlyMemory<byte> content,
        IReadOnlyList<QueuedRecipient> recipients,
        RecipientDeliveryResult?[] results,
        TransactionProgress progress,
        CancellationToken cancellationToken)
    {
        var connection = session.Connection;
        var extensions = session.Extensions;
        var reusable = false;
        var broken = false;
        try
        {
            // RFC 3461 section 5.2.2: a next hop that speaks DSN takes the parameters (and the duty to
            // report); to one that does not, the message is "relayed" and the report comes from here.
            var passDsn = _protocol == TransferProtocol.Smtp && extensions.ContainsKey("DSN");
            var dsnAction = _protocol == TransferProtocol.Lmtp ? RecipientDeliveryResult.ActionDelivered
                : passDsn ? "" : RecipientDeliveryResult.ActionRelayed;

            // RFC 6531 section 3.2: a message that needs SMTPUTF8 must not go to a server without it.
            var needsUtf8 = message.SmtpUtf8 || !IsAscii(message.MailFrom) || recipients.Any(r => !IsAscii(r.Address));
            if (needsUtf8 && !extensions.ContainsKey("SMTPUTF8"))
            {
                SetAll(results, recipients, r => RecipientDeliveryResult.Permanent(
                    r, $"553 5.6.7 {Description} does not support SMTPUTF8, which this message needs"));
                reusable = true;
                return;
            }

            // Step 1: MAIL. A refusal here is about the sender or the message, so it applies to all.
            if (!IsSendable(message.MailFrom))
            {
                SetAll(results, recipients, r => RecipientDeliveryResult.Permanent(
                    r, "553 5.1.7 Sender address is unusable"));
                reusable = true;
                return;
            }

            var mail = await connection.CommandAsync(
                MailCommand(message, extensions, needsUtf8, passDsn), cancellationToken);
            if (!mail.IsPositive)
            {
                SetAll(results, recipients, r => FromReply(r, mail));
                return;
            }

            // Step 2: RCPT, one reply per recipient.
            var accepted = new List<int>(recipients.Count);
            for (var i = 0; i < recipients.Count; i++)
            {
                if (!IsSendable(recipients[i].Address))
                {
                    results[i] = RecipientDeliveryResult.Permanent(
                        recipients[i], "553 5.1.3 Recipient address is unusable");
                    continue;
                }

                var rcpt = await connection.CommandAsync(RcptCommand(recipients[i], passDsn), cancellationToken);
                if (rcpt.IsPositive)
                {
                    accepted.Add(i);
                }
                else
                {
                    results[i] = FromReply(recipients[i], rcpt);
                }
            }

            if (accepted.Count == 0)
            {
                return;
            }

            // Step 3: DATA, then the dot-stuffed content.
            var data = await connection.CommandAsync("DATA", cancellationToken);
            if (data.Code != 354)
            {
                foreach (var i in accepted)
                {
                    results[i] = data.IsIntermediate
                        ? RecipientDeliveryResult.Temporary(
                            recipients[i], "451 4.5.0 Unexpected reply to DATA: " + data)
                        : FromReply(recipients[i], data);
                }

                return;
            }

            progress.DataSent = true;
            await connection.WriteAsync(DotStuffing.Encode(content.Span), cancellationToken);

            // Step 4: the outcome. SMTP answers once for the whole transaction; LMTP once per accepted
            // recipient, in RCPT order (RFC 2033 section 4.2).
            if (_protocol == TransferProtocol.Smtp)
            {
                var final = await connection.ReadReplyAsync(cancellationToken);
                foreach (var i in accepted)
                {
                    results[i] = FromReply(recipients[i], final) with { DsnAction = dsnAction };
                }
            }
            else
            {
                foreach (var i in accepted)
                {
                    results[i] = FromReply(recipients[i], await connection.ReadReplyAsync(cancellationToken))
                        with { DsnAction = dsnAction };
                }
            }

            reusable = true;
        }
        catch
        {
            broken = true;
            throw;
        }
        finally
        {
            session.Uses++;
            if (broken || !reusable || !_pool.TryReturn(session))
            {
                if (!broken)
                {
                    await QuitAsync(connection);
                }

                await connection.DisposeAsync();
            }
        }
    }

    private string Verb => _protocol == TransferProtocol.Lmtp ? "LHLO" : "EHLO";

    /// <summary>LHLO or EHLO (HELO when an old SMTP server knows no EHLO); the offered extensions, or null.</summary>
    private async Task<Dictionary<string, string>?> HelloAsync(
        MailTransferConnection connection, CancellationToken cancellationToken)
    {
        var hello = await connection.CommandAsync($"{Verb} {_heloName}", cancellationToken);
        if (!hello.IsPositive && hello.IsPermanent && _protocol == TransferProtocol.Smtp)
        {
            // RFC 5321 section 3.2: fall back to HELO, which offers no extensions.
            hello = await connection.CommandAsync($"HELO {_heloName}", cancellationToken);
            return hello.IsPositive ? new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) : null;
        }

        if (!hello.IsPositive)
        {
            return null;
        }

        // The first line greets; each further line names one extension and its parameters.
        var extensions = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in hello.Lines.Skip(1))
        {
            var space = line.IndexOf(' ');
            var keyword = space < 0 ? line : line[..space];
            if (keyword.Length > 0)
            {
                extensions[keyword] = space < 0 ? "" : line[(space + 1)..].Trim();
            }
        }

        return extensions;
    }

    private static string MailCommand(
        QueuedMessage message, Dictionary<string, string> extensions, bool utf8, bool passDsn)
    {
        var command = new StringBuilder("MAIL FROM:<").Append(message.MailFrom).Append('>');

        // RFC 6152: declare 8-bit content only to a server that knows the parameter. Without it
        // the content still goes as it is: downgrading MIME is not this client's job.
        if (string.Equals(message.Body, "8BITMIME", StringComparison.OrdinalIgnoreCase)
            && extensions.ContainsKey("8BITMIME"))
        {
            command.Append(" BODY=8BITMIME");
        }

        if (utf8)
        {
            command.Append(" SMTPUTF8");
        }

        // RFC 1870: lets the server refuse an over-size message before it is sent.
        if (extensions.ContainsKey("SIZE") && message.Size > 0)
        {
            command.Append(" SIZE=").Append(message.Size.ToString(CultureInfo.InvariantCulture));
        }

        if (passDsn && message.DsnReturn.Length > 0)
        {
            command.Append(" RET=").Append(message.DsnReturn);
        }

        if (passDsn && message.DsnEnvelopeId.Length > 0)
        {
            command.Append(" ENVID=").Append(XText.Encode(message.DsnEnvelopeId));
        }

        return command.ToString();
    }

    private static string RcptCommand(QueuedRecipient recipient, bool passDsn)
    {
        var command = new StringBuilder("RCPT TO:<").Append(recipient.Address).Append('>');
        if (passDsn && recipient.DsnNotify.Length > 0)
        {
            command.Append(" NOTIFY=").Append(recipient.DsnNotify);
        }

        var semicolon = recipient.DsnOriginalRecipient.IndexOf(';');
        if (passDsn && semicolon > 0)
        {
            command.Append(" ORCPT=").Append(recipient.DsnOriginalRecipient[..(semicolon + 1)])
                .Append(XText.Encode(recipient.DsnOriginalRecipient[(semicolon + 1)..]));
        }

        return command.ToString();
    }

    private static async Task QuitAsync(MailTransferConnection connection)
    {
        // The outcome is already known; a server slow to say goodbye must not hold the worker.
        using var timeout = new CancellationTokenSource(QuitTimeout);
        try
        {
            await connection.CommandAsync("QUIT", timeout.Token);
        }
        catch (Exception exception) when (IsConnectionProblem(exception) || exception is OperationCanceledException)
        {
            // Nothing depends on the reply to QUIT.
        }
    }

    private static RecipientDeliveryResult FromReply(QueuedRecipient recipient, SmtpReply reply) =>
        reply.IsPositive ? RecipientDeliveryResult.Delivered(recipient, reply.ToString())
        : reply.IsPermanent ? RecipientDeliveryResult.Permanent(recipient, reply.ToString())
        : RecipientDeliveryResult.Temporary(recipient, reply.ToString());

    private static RecipientDeliveryResult Transient(QueuedRecipient recipient, string stage, SmtpReply reply) =>
        RecipientDeliveryResult.Temporary(recipient, $"451 4.4.0 Refused at {stage}: {reply}");

    private static void SetAll(
        RecipientDeliveryResult?[] results,
        IReadOnlyList<QueuedRecipient> recipients,
        Func<QueuedRecipient, RecipientDeliveryResult> result)
    {
        for (var i = 0; i < results.Length; i++)
        {
            results[i] ??= result(recipients[i]);
        }
    }

    private string ConnectionFailureReply(Exception exception) => exception switch
    {
        // RFC 3463: 4.4.1 no answer from host, 4.4.2 bad connection, 4.5.0 protocol error.
        SocketException socket => $"451 4.4.1 Cannot connect to {Description}: {socket.SocketErrorCode}",
        TimeoutException timeout => $"451 4.4.2 {Description}: {timeout.Message}",
        TransferProtocolException protocol => $"451 4.5.0 {Description} broke the protocol: {protocol.Message}",
        TlsHandshakeException tls => $"451 4.7.5 TLS handshake with {Description} failed: {tls.Message}",
        _ => $"451 4.4.2 Connection to {Description} failed: {exception.Message}",
    };

    private static bool IsConnectionProblem(Exception exception) =>
        exception is SocketException or IOException or TimeoutException or TransferProtocolException
            or TlsHandshakeException or AuthenticationException;

    /// <summary>Envelope text becomes part of a command line: no control characters, no angle brackets.</summary>
    private static bool IsSendable(string address) =>
        address.Length <= 1000 && !address.Any(c => char.IsControl(c) || c is '<' or '>');

    private static bool IsAscii(string text) => Ascii.IsValid(text);

    private static string HeloName(string hostname)
    {
        var name = new string(hostname.Where(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-').ToArray());
        return name.Length == 0 ? "localhost" : name;
    }
}
