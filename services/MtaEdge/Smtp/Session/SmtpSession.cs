using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Gateway.MtaEdge.Smtp.Commands;
using Gateway.MtaEdge.Smtp.Message;
using Gateway.MtaEdge.Smtp.Protocol;
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
    private readonly IPEndPoint _client;
    private readonly IPEndPoint _local;
    private readonly CancellationTokenSource _lifetime;
    private int _errors;
    private ConnectDecision? _decision;

    public SmtpSession(SmtpSessionContext context, Socket socket, string id)
    {
        _context = context;
        Id = id;
        _client = (IPEndPoint)socket.RemoteEndPoint!;
        _local = (IPEndPoint)socket.LocalEndPoint!;
        _connection = new SmtpConnection(socket, context.Options.MaxCommandLineBytes);

        // The session's whole life is capped, and cut short when the shutdown grace is over.
        _lifetime = CancellationTokenSource.CreateLinkedTokenSource(context.Aborted);
        _lifetime.CancelAfter(context.Options.SessionTimeout);
    }

    public string Id { get; }

    public SmtpSessionContext Context => _context;

    public SmtpOptions Options => _context.Options;

    public SmtpSessionState State { get; set; } = SmtpSessionState.AwaitingHello;

    public IPAddress ClientAddress => _client.Address;

    /// <summary>The name the client gave in EHLO/HELO.</summary>
    public string Helo { get; set; } = "";

    /// <summary>The client said EHLO, so service extensions are in effect (RFC 5321 4.1.1.1).</summary>
    public bool Extended { get; set; }

    public SmtpTransaction? Transaction { get; set; }

    public int MessagesAccepted { get; set; }

    public int MessagesRefused { get; set; }

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
    /// Replies with a client error and counts it; past <see cref="SmtpOptions.MaxErrors"/> the session
    /// ends with 421, so a client cannot probe or flood with bad commands for free.
    /// </summary>
    public async ValueTask ErrorAsync(SmtpReply reply)
    {
        SmtpLog.ProtocolError(_context.Logger, Id, reply.Code, reply.EnhancedCode, reply.Lines[0]);
        await ReplyAsync(reply);
        _errors++;
        if (_errors >= Options.MaxErrors && State != SmtpSessionState.Closed)
        {
            SmtpLog.TooManyErrors(_context.Logger, Id, _errors);
            await ReplyAsync(SmtpReplies.TooManyErrors);
            State = SmtpSessionState.Closed;
            EndReason = "too many errors";
        }
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
        try
        {
            if (!await CheckConnectAsync(client))
            {
                end = "refused at connect";
                return;
            }

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
            await TryFlushAsync();
            await _connection.DisposeAsync();
            await ReleaseAsync(client);
            _lifetime.Dispose();
            SmtpLog.SessionEnded(
                _context.Logger, Id, client, LogText.Escape(Helo), MessagesAccepted, MessagesRefused,
                clock.ElapsedMilliseconds, end);
        }
    }

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
            SmtpMetrics.Connections.WithLabels("accepted").Inc();
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
        if (SmtpCommandTable.TryGet(verb, out var command))
        {
            await command.ExecuteAsync(this, argument);
        }
        else
        {
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

    /// <summary>Releases the connection lease taken at connect, always, even during shutdown.</summary>
    private async Task ReleaseAsync(string client)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _context.SenderIntelligence.ReleaseConnectionAsync(
                new ReleaseConnectionRequest { SessionId = Id, ClientIp = client, LeaseId = _decision?.LeaseId ?? "" },
                timeout.Token);
        }
        catch (Exception ex)
        {
            SmtpLog.ReleaseFailed(_context.Logger, ex, Id);
        }
    }
}
