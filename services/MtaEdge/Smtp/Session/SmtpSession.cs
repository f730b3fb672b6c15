using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using Gateway.Contracts;
using Gateway.MtaEdge.Smtp.Commands;
using Gateway.MtaEdge.Smtp.Message;
using Gateway.MtaEdge.Smtp.Protocol;
using Gateway.MtaEdge.Smtp.Proxy;
using Gateway.V1;

namespace Gateway.MtaEdge.Smtp.Session;

/// <summary>
/// One SMTP session, from the connect check to the close. The state machine lives in
/// <see cref="State"/>; each command is a class in Commands/ that checks the state it needs and moves
/// it on. Every way out (QUIT, errors, timeouts, the client going away, shutdown) passes through
/// the same end: the connection lease is released and one log line written.
/// </summary>
internal sealed class SmtpSession
{
    private static readonly UTF8Encoding StrictUtf8 =
        new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly SmtpSessionContext _context;
    private readonly SmtpConnection _connection;
    private readonly IPEndPoint _peer;
    private readonly bool _viaProxy;
    private readonly CancellationTokenSource _lifetime;
    private IPEndPoint _client;
    private IPEndPoint _local;
    private int _errors;
    private int _protocolErrors;
    private int _junk;
    private ConnectDecision? _decision;

    /// <param name="viaProxy">The connection came to the PROXY protocol listener.</param>
    public SmtpSession(SmtpSessionContext context, Socket socket, string id, bool viaProxy = false)
    {
        _context = context;
        Id = id;
        _peer = (IPEndPoint)socket.RemoteEndPoint!;
        _client = _peer;
        _local = (IPEndPoint)socket.LocalEndPoint!;
        _viaProxy = viaProxy;
        _connection = new SmtpConnection(socket, context.Options.MaxCommandLineBytes);

        // The session's whole life is capped, and cut short when the shutdown grace is over.
        _lifetime = CancellationTokenSource.CreateLinkedTokenSource(context.Aborted);
        _lifetime.CancelAfter(context.Options.SessionTimeout);
    }

    public string Id { get; }

    public SmtpSessionContext Context => _context;

    public SmtpOptions Options => _context.Options;

    public SmtpSessionState State { get; set; } = SmtpSessionState.AwaitingHello;

    /// <summary>The client: the peer of the connection, or the one a trusted PROXY header named.</summary>
    public IPAddress ClientAddress => _client.Address;

    /// <summary>The session runs over TLS (after STARTTLS).</summary>
    public bool IsTls => _connection.Tls is not null;

    /// <summary>STARTTLS is offered: a certificate is configured and the session is not yet in TLS.</summary>
    public bool CanStartTls => _context.Tls is not null && !IsTls;

    /// <summary>"TLSv1.3 TLS_AES_256_GCM_SHA384" after STARTTLS, else "".</summary>
    public string TlsDescription => _connection.Tls is { } tls
        ? $"{TlsName(tls.SslProtocol)} {tls.NegotiatedCipherSuite}"
        : "";

    /// <summary>The name the client gave in EHLO/HELO.</summary>
    public string Helo { get; set; } = "";

    /// <summary>The client said EHLO, so service extensions are in effect (RFC 5321 4.1.1.1).</summary>
    public bool Extended { get; set; }

    public SmtpTransaction? Transaction { get; set; }

    public int MessagesAccepted { get; set; }

    public int MessagesRefused { get; set; }

    /// <summary>The client address as text, as sender intelligence knows it.</summary>
    public string ClientIp => TraceHeaders.AddressText(_client.Address);

    /// <summary>How long to wait before each reply to MAIL and RCPT (set by sender intelligence at MAIL).</summary>
    public TimeSpan TarpitDelay { get; set; }

    /// <summary>
    /// Waits the tarpit delay sender intelligence asked for, bounded by <see cref="SmtpOptions.MaxTarpitDelay"/>.
    /// </summary>
    public async ValueTask TarpitAsync()
    {
        var delay = TarpitDelay < Options.MaxTarpitDelay ? TarpitDelay : Options.MaxTarpitDelay;
        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(delay, _lifetime.Token);
        }
    }

    /// <summary>
    /// One call to sender intelligence within the command timeout. A failure of the tier (an exception,
    /// a timeout) is logged and yields null, for which the caller answers 4xx: the session goes on.
    /// </summary>
    public async ValueTask<T?> AskSenderAsync<T>(
        string stage, Func<ISenderIntelligence, CancellationToken, Task<T>> call)
        where T : class
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_lifetime.Token);
            timeout.CancelAfter(Options.CommandTimeout);
            return await call(_context.SenderIntelligence, timeout.Token);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !_lifetime.IsCancellationRequested)
        {
            SmtpLog.SenderCheckFailed(_context.Logger, ex, Id, stage);
            return null;
        }
    }

    /// <summary>
    /// Sends a sender intelligence refusal as the reply (its code if it is of the fallback's class); a
    /// 421 also closes the session (RFC 5321 3.8).
    /// </summary>
    public async ValueTask RefuseBySenderAsync(string stage, Verdict? verdict)
    {
        var fallback = verdict?.Action == V1.Action.Tempfail ? SmtpReplies.SenderDeferred : SmtpReplies.SenderRefused;
        var reply = SmtpReply.FromVerdict(verdict?.SmtpCode ?? 0, verdict?.EnhancedCode, verdict?.Text, fallback);
        if (verdict?.SmtpCode == 421)
        {
            reply = SmtpReply.FromVerdict(421, verdict.EnhancedCode, verdict.Text, SmtpReplies.ConnectDeferred);
        }

        SmtpLog.SenderRefused(_context.Logger, Id, stage, reply.Code, reply.EnhancedCode,
            LogText.Escape(verdict?.Reason));
        await ReplyAsync(reply);
        if (reply.Code == 421)
        {
            State = SmtpSessionState.Closed;
            EndReason = "closed by sender intelligence";
        }
    }

    /// <summary>Why the session ended, for its log line; set by whatever closes it.</summary>
    public string EndReason { get; set; } = "quit";

    /// <summary>Ends any open mail transaction (RSET, EHLO/HELO, end of DATA).</summary>
    public void ResetTransaction()
    {
        Transaction = null;
        if (State is SmtpSessionState.MailGiven or SmtpSessionState.RecipientsGiven)
        {
            State = SmtpSessionState.Ready;
        }
    }

    /// <summary>
    /// Queues a reply. It goes out when the client's input is drained (RFC 2920), or now if too much
    /// is waiting; a client that does not read gets the command timeout, as if it were silent.
    /// </summary>
    public async ValueTask ReplyAsync(SmtpReply reply)
    {
        _connection.WriteReply(reply);
        if (_connection.MustFlush)
        {
            using var timer = CancellationTokenSource.CreateLinkedTokenSource(_lifetime.Token);
            timer.CancelAfter(Options.CommandTimeout);
            await _connection.FlushAsync(timer.Token);
        }
    }

    /// <summary>
    /// Replies with a client error and counts it. Past <see cref="SmtpOptions.ErrorDelayAfter"/> errors
    /// each reply waits a little longer (a tarpit: probing and dictionary attacks get slow), and past
    /// <see cref="SmtpOptions.MaxErrors"/> the session ends with 421.
    /// </summary>
    public async ValueTask ErrorAsync(SmtpReply reply)
    {
        SmtpLog.ProtocolError(_context.Logger, Id, reply.Code, reply.EnhancedCode, LogText.Escape(reply.Lines[0]));
        _errors++;
        // Syntax and sequence errors only (RFC 5321 4.2.3: 500-504, 555) count against the client's
        // standing; a refused recipient is not a protocol error.
        if (reply.Code is >= 500 and <= 504 or 555)
        {
            _protocolErrors++;
        }
        if (_errors > Options.ErrorDelayAfter && _errors < Options.MaxErrors)
        {
            var steps = _errors - Options.ErrorDelayAfter;
            var delay = TimeSpan.FromTicks(Math.Min(Options.ErrorDelay.Ticks * steps, Options.MaxErrorDelay.Ticks));
            if (delay > TimeSpan.Zero)
            {
                await Task.Delay(delay, _lifetime.Token);
            }
        }

        await ReplyAsync(reply);
        if (_errors >= Options.MaxErrors && State != SmtpSessionState.Closed)
        {
            SmtpLog.TooManyErrors(_context.Logger, Id, _errors);
            await ReplyAsync(SmtpReplies.TooManyErrors);
            State = SmtpSessionState.Closed;
            EndReason = "too many errors";
        }
    }

    /// <summary>
    /// Counts a command that moves no mail forward (NOOP, RSET, VRFY, HELP, a repeated hello). Past
    /// <see cref="SmtpOptions.MaxJunkCommands"/> since the last accepted message the session ends with
    /// 421: a client that only keeps the connection busy holds a session slot for nothing. Returns
    /// false when the session was closed instead of running the command.
    /// </summary>
    public async ValueTask<bool> CountNoProgressAsync()
    {
        _junk++;
        if (_junk <= Options.MaxJunkCommands)
        {
            return true;
        }

        SmtpLog.NoProgress(_context.Logger, Id, _junk);
        await ReplyAsync(SmtpReplies.NoProgress);
        State = SmtpSessionState.Closed;
        EndReason = "no progress";
        return false;
    }

    /// <summary>A message was accepted: the session is doing what it is for.</summary>
    public void MadeProgress() => _junk = 0;

    /// <summary>
    /// STARTTLS after its 220 (RFC 3207 section 4.2): input pipelined behind the command is discarded,
    /// the handshake runs within <see cref="SmtpOptions.TlsHandshakeTimeout"/>, and the session starts
    /// over as if just connected: no hello, no transaction, so MAIL before a new EHLO gets 503. False
    /// when the handshake failed; the session then ends (the stream is in an unknown state).
    /// </summary>
    public async ValueTask<bool> StartTlsAsync()
    {
        var options = _context.Tls!.CreateServerOptions();
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(_lifetime.Token);
        timer.CancelAfter(Options.TlsHandshakeTimeout);
        try
        {
            var discarded = await _connection.StartTlsAsync(options, timer.Token);
            if (discarded > 0)
            {
                SmtpLog.PipelinedBeforeTls(_context.Logger, Id, discarded);
            }
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException
                                       || (ex is OperationCanceledException && !_lifetime.IsCancellationRequested))
        {
            SmtpLog.TlsHandshakeFailed(_context.Logger, Id, LogText.Escape(ex.Message));
            SmtpMetrics.TlsHandshakes.WithLabels("failed").Inc();
            State = SmtpSessionState.Closed;
            EndReason = "TLS handshake failed";
            return false;
        }

        SmtpMetrics.TlsHandshakes.WithLabels("ok").Inc();
        Transaction = null;
        Helo = "";
        Extended = false;
        State = SmtpSessionState.AwaitingHello;
        return true;
    }

    /// <summary>
    /// Reads one message after 354 into <paramref name="decoder"/>. Each block of data must arrive
    /// within the DATA block timeout (RFC 5321 4.5.3.2.5). False when the client went away.
    /// </summary>
    public async ValueTask<bool> ReadDataAsync(DataDecoder decoder)
    {
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(_lifetime.Token);
        var received = await _connection.ReadDataAsync(decoder, timer, Options.DataBlockTimeout);
        SmtpMetrics.ReceivedBytes.Inc(decoder.ContentBytes);
        return received;
    }

    /// <summary>
    /// Reads one BDAT chunk of <paramref name="size"/> octets into <paramref name="decoder"/> (null:
    /// read and discard, so the chunk can never be taken for commands). Each block of it must arrive
    /// within the DATA block timeout. False when the client went away.
    /// </summary>
    public async ValueTask<bool> ReadChunkAsync(long size, ChunkDecoder? decoder)
    {
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(_lifetime.Token);
        var received = await _connection.ReadChunkAsync(size, decoder, timer, Options.DataBlockTimeout);
        SmtpMetrics.ReceivedBytes.Inc(size);
        return received;
    }

    /// <summary>
    /// The end of a message, by DATA or the last BDAT: the transaction ends, the intake decides
    /// (limits, filter, spool), and its reply goes to the client.
    /// </summary>
    public async ValueTask CompleteMessageAsync(SmtpTransaction transaction, IMessageDecoder decoder)
    {
        ResetTransaction();

        IntakeOutcome outcome;
        using (var processing = CreateProcessingTimeout())
        {
            outcome = await _context.Intake.AcceptAsync(
                new MessageIntakeRequest(Id, ClientAddress, Helo, Extended, transaction, TlsDescription,
                    _decision?.AllowListed ?? false),
                decoder,
                processing.Token);
        }

        if (outcome.Stored)
        {
            MessagesAccepted++;
            MadeProgress();
        }
        else
        {
            MessagesRefused++;
        }

        await ReplyAsync(outcome.Reply);
    }

    /// <summary>A token for the end-of-DATA work: cancelled by the processing timeout or an abort.</summary>
    public CancellationTokenSource CreateProcessingTimeout()
    {
        var source = CancellationTokenSource.CreateLinkedTokenSource(_lifetime.Token);
        source.CancelAfter(Options.ProcessingTimeout);
        return source;
    }

    public async Task RunAsync()
    {
        var clock = Stopwatch.StartNew();
        var client = TraceHeaders.AddressText(_client.Address);
        var end = "quit";
        var leased = false;
        try
        {
            // Step 1: behind a load balancer, who the client really is.
            if (_viaProxy)
            {
                var refusal = await AcceptProxyHeaderAsync();
                client = TraceHeaders.AddressText(_client.Address);
                if (refusal is not null)
                {
                    end = refusal;
                    return;
                }
            }

            // Step 2: the greeting delay; a client that talks first is not a real MTA.
            if (await _connection.WaitForInputAsync(Options.GreetingDelay, _lifetime.Token))
            {
                end = RefuseEarlyTalker(client);
                return;
            }

            // Step 3: sender intelligence decides whether this client may talk to us at all.
            leased = true;
            if (!await CheckConnectAsync(client))
            {
                end = "refused at connect";
                return;
            }

            if (await _connection.WaitForInputAsync(TimeSpan.Zero, _lifetime.Token))
            {
                end = RefuseEarlyTalker(client);
                return;
            }

            SmtpMetrics.Connections.WithLabels("accepted").Inc();
            await ReplyAsync(new SmtpReply(220, "", _context.Host + " ESMTP"));
            end = await CommandLoopAsync();
        }
        catch (OperationCanceledException)
        {
            end = SayGoodbyeAfterCancel();
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
        {
            end = "connection lost";
        }
        catch (Exception ex)
        {
            end = "failed";
            SmtpLog.SessionFailed(_context.Logger, ex, Id);
            SendFinal(SmtpReplies.LocalErrorClosing);
        }
        finally
        {
            var tls = TlsDescription;
            await TryFlushAsync();
            await _connection.DisposeAsync();
            if (leased)
            {
                await ReleaseAsync(client);
            }

            _lifetime.Dispose();
            SmtpLog.SessionEnded(
                _context.Logger, Id, client, LogText.Escape(Helo), tls.Length == 0 ? "none" : tls,
                _viaProxy ? TraceHeaders.AddressText(_peer.Address) : "none", MessagesAccepted, MessagesRefused,
                clock.ElapsedMilliseconds, end);
        }
    }

    /// <summary>
    /// On the proxy listener: only a trusted peer may speak, and it must start with a PROXY header
    /// (v1 or v2) within <see cref="SmtpOptions.ProxyHeaderTimeout"/>. Anything else is disconnected
    /// without a reply, since the client on the other side of the proxy cannot be told apart.
    /// Returns why the session ends, or null to go on with the client the header named.
    /// </summary>
    private async Task<string?> AcceptProxyHeaderAsync()
    {
        var peer = TraceHeaders.AddressText(_peer.Address);
        if (!_context.TrustedProxies.Contains(_peer.Address))
        {
            SmtpMetrics.Connections.WithLabels("proxy-untrusted").Inc();
            SmtpLog.ProxyUntrusted(_context.Logger, Id, peer);
            State = SmtpSessionState.Closed;
            return "untrusted proxy";
        }

        ProxyHeader? header;
        string error;
        using (var timer = CancellationTokenSource.CreateLinkedTokenSource(_lifetime.Token))
        {
            timer.CancelAfter(Options.ProxyHeaderTimeout);
            try
            {
                (header, error) = await _connection.ReadProxyHeaderAsync(timer.Token);
            }
            catch (OperationCanceledException) when (!_lifetime.IsCancellationRequested)
            {
                (header, error) = (null, "no PROXY header in time");
            }
        }

        if (header is null)
        {
            SmtpMetrics.Connections.WithLabels("proxy-error").Inc();
            SmtpLog.ProxyHeaderInvalid(_context.Logger, Id, peer, error);
            State = SmtpSessionState.Closed;
            return "bad PROXY header";
        }

        if (header.Source is { } source)
        {
            _client = source;
            _local = header.Destination ?? _local;
        }

        SmtpLog.ProxyAccepted(_context.Logger, Id, peer, TraceHeaders.AddressText(_client.Address), header.Version);
        return null;
    }

    private string RefuseEarlyTalker(string client)
    {
        SmtpMetrics.Connections.WithLabels("early-talker").Inc();
        SmtpLog.EarlyTalker(_context.Logger, Id, client);
        SendFinal(SmtpReplies.EarlyTalker);
        return "talked before greeting";
    }

    private static string TlsName(SslProtocols protocol) => protocol switch
    {
        SslProtocols.Tls12 => "TLSv1.2",
        SslProtocols.Tls13 => "TLSv1.3",
        _ => protocol.ToString(),
    };

    /// <summary>
    /// Asks sender intelligence whether this client may talk to us. A refusal is sent as its own
    /// reply and ends the session; if the check itself fails the client is deferred (421), never
    /// waved through. Returns false when the session must end.
    /// </summary>
    private async Task<bool> CheckConnectAsync(string client)
    {
        ConnectDecision decision;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_lifetime.Token);
            timeout.CancelAfter(Options.CommandTimeout);
            decision = await _context.SenderIntelligence.CheckConnectAsync(
                new ConnectRequest
                {
                    SessionId = Id,
                    ClientIp = client,
                    ClientPort = _client.Port,
                    LocalEndpoint = _local.ToString(),
                },
                timeout.Token);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !_context.Aborted.IsCancellationRequested)
        {
            SmtpLog.ConnectCheckFailed(_context.Logger, ex, Id);
            SmtpMetrics.Connections.WithLabels("error").Inc();
            SendFinal(SmtpReplies.ConnectCheckFailed);
            return false;
        }

        // Whatever the verdict, a lease it carries is released when the session ends.
        _decision = decision;

        var verdict = decision.Verdict;
        if (verdict?.Action == V1.Action.Accept)
        {
            // The tarpit before the greeting; a client that talks meanwhile is caught right after.
            TarpitDelay = TimeSpan.FromMilliseconds(Math.Max(0, decision.TarpitDelayMs));
            await TarpitAsync();
            return true;
        }

        var deferred = verdict?.Action == V1.Action.Tempfail;
        var reply = deferred
            ? SmtpReply.FromVerdict(verdict!.SmtpCode, verdict.EnhancedCode, verdict.Text, SmtpReplies.ConnectDeferred)
            : SmtpReply.FromVerdict(
                verdict?.SmtpCode ?? 0, verdict?.EnhancedCode, verdict?.Text, SmtpReplies.ConnectRefused);
        SmtpMetrics.Connections.WithLabels(deferred ? "deferred" : "refused").Inc();
        SmtpLog.ConnectRefused(_context.Logger, Id, client, reply.Code, LogText.Escape(verdict?.Reason));
        SendFinal(reply);

        return false;
    }

    private async Task<string> CommandLoopAsync()
    {
        while (State != SmtpSessionState.Closed)
        {
            if (_context.Stopping.IsCancellationRequested)
            {
                await ReplyAsync(SmtpReplies.ShuttingDown);
                return "shutdown";
            }

            CommandLine line;
            using (var timer = CancellationTokenSource.CreateLinkedTokenSource(_lifetime.Token, _context.Stopping))
            {
                timer.CancelAfter(Options.CommandTimeout);
                line = await _connection.ReadCommandAsync(timer.Token);
            }

            switch (line.Kind)
            {
                case CommandLineKind.EndOfStream:
                    return "client closed";
                case CommandLineKind.TooLong:
                    await ErrorAsync(SmtpReplies.LineTooLong);
                    continue;
            }

            await ExecuteAsync(line.Bytes);
        }

        return EndReason;
    }

    private async ValueTask ExecuteAsync(byte[] bytes)
    {
        // RFC 5321 2.3.8: CRLF is the only line end; a bare CR or LF inside is not a second command.
        if (bytes.AsSpan().IndexOfAny((byte)'\r', (byte)'\n') >= 0)
        {
            await ErrorAsync(SmtpReplies.BareLineEnd);
            return;
        }

        string text;
        try
        {
            text = StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            await ErrorAsync(SmtpReplies.InvalidUtf8);
            return;
        }

        var space = text.IndexOf(' ');
        var verb = space < 0 ? text : text[..space];
        var argument = space < 0 ? "" : text[(space + 1)..].TrimEnd(' ');
        if (SmtpCommandTable.TryGet(verb, out var command, out var name))
        {
            SmtpMetrics.Commands.WithLabels(name).Inc();
            await command.ExecuteAsync(this, argument);
        }
        else
        {
            SmtpMetrics.Commands.WithLabels("unknown").Inc();
            await ErrorAsync(SmtpReplies.UnknownCommand);
        }
    }

    /// <summary>Works out why a wait was cancelled and tells the client, if it can still hear.</summary>
    private string SayGoodbyeAfterCancel()
    {
        if (_context.Aborted.IsCancellationRequested)
        {
            SendFinal(SmtpReplies.ShuttingDown);
            return "aborted by shutdown";
        }

        if (_lifetime.IsCancellationRequested)
        {
            SendFinal(SmtpReplies.SessionTooLong);
            return "session time limit";
        }

        if (_context.Stopping.IsCancellationRequested)
        {
            SendFinal(SmtpReplies.ShuttingDown);
            return "shutdown";
        }

        SendFinal(SmtpReplies.Timeout);
        return "timeout";
    }

    /// <summary>Best effort: queue a last reply; the bounded flush on the way out sends it.</summary>
    private void SendFinal(SmtpReply reply)
    {
        try
        {
            _connection.WriteReply(reply);
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException
                                       or InvalidOperationException)
        {
            // The client is gone.
        }

        State = SmtpSessionState.Closed;
    }

    private async Task TryFlushAsync()
    {
        try
        {
            // A client that stopped reading must not hold the session open.
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _connection.FlushAsync(timeout.Token);
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException
                                       or InvalidOperationException or OperationCanceledException)
        {
            // The client is gone.
        }
    }

    /// <summary>
    /// Closes the session with sender intelligence, always, even during shutdown: the lease taken at
    /// connect is released and the session's protocol errors are recorded.
    /// </summary>
    private async Task ReleaseAsync(string client)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _context.SenderIntelligence.CloseSessionAsync(
                new CloseSessionRequest
                {
                    SessionId = Id,
                    ClientIp = client,
                    LeaseId = _decision?.LeaseId ?? "",
                    ProtocolErrors = _protocolErrors,
                },
                timeout.Token);
        }
        catch (Exception ex)
        {
            SmtpLog.ReleaseFailed(_context.Logger, ex, Id);
        }
    }
}
