using System.Net;
using System.Net.Sockets;
using System.Text;
using Gateway.Common.Configuration;
using Gateway.Contracts;
using Gateway.MtaEdge.Queue;
using Gateway.MtaEdge.Smtp;
using Gateway.V1;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gateway.Fuzz.Harnesses;

/// <summary>
/// The SMTP command parser and everything behind it (command table, path and parameter parsing, the DATA
/// decoder, header scanning, the intake): the input is the whole byte stream a client sends, played into a
/// real <see cref="SmtpServer"/> on a loopback socket, then the client half-closes. A finding is a session that
/// fails (the server's last-resort handler logs it), one that does not end within the deadline after the input
/// ended, or a reply line that is not <c>NNN SP text</c> or <c>NNN - text</c> (RFC 5321 4.2).
/// </summary>
public sealed class SmtpSessionTarget : IFuzzTarget
{
    private static readonly TimeSpan SessionDeadline = TimeSpan.FromSeconds(10);

    private readonly CapturingLoggerProvider _logs = new();
    private readonly ILoggerFactory _loggerFactory;
    private readonly SmtpServer _server;
    private readonly IPEndPoint _endPoint;
    private readonly byte[] _buffer = new byte[64 * 1024];

    public SmtpSessionTarget()
    {
        _loggerFactory = LoggerFactory.Create(b => b.AddProvider(_logs).SetMinimumLevel(LogLevel.Warning));
        var smtp = new SmtpOptions
        {
            Listen = "127.0.0.1:0",
            MaxMessageBytes = 256 * 1024,
            MaxHeaderBytes = 32 * 1024,
            MaxTextLineBytes = 8 * 1024,
            MaxRecipients = 20,
            CommandTimeout = TimeSpan.FromSeconds(5),
            DataBlockTimeout = TimeSpan.FromSeconds(5),
            ProcessingTimeout = TimeSpan.FromSeconds(5),
            SessionTimeout = TimeSpan.FromSeconds(30),
        };
        var gateway = new GatewayOptions { Domains = ["example.test", "xn--bcher-kva.test"], Hostname = "fuzz.test" };
        _server = new SmtpServer(
            Options.Create(smtp),
            Options.Create(gateway),
            new DomainSet(gateway.Domains),
            new AcceptingSenderIntelligence(),
            new AcceptingFilter(),
            new DiscardingSpool(),
            _loggerFactory.CreateLogger<SmtpServer>());
        _server.StartAsync(CancellationToken.None).GetAwaiter().GetResult();
        _endPoint = _server.LocalEndPoint!;
    }

    public string Name => "smtp";

    public IEnumerable<byte[]> Seeds(string? corpusDir)
    {
        string[] sessions =
        [
            "EHLO client.test\r\nMAIL FROM:<a@b.test> SIZE=100 BODY=8BITMIME\r\nRCPT TO:<dora@example.test>\r\nDATA\r\n"
                + "Subject: hi\r\nMessage-ID: <x@y>\r\n\r\nbody\r\n..dot\r\n.\r\nQUIT\r\n",
            "HELO x\r\nMAIL FROM:<>\r\nRCPT TO:<postmaster>\r\nRSET\r\nNOOP\r\nVRFY a\r\nHELP\r\nQUIT\r\n",
            "EHLO [127.0.0.1]\r\nMAIL FROM:<\"quoted@local\"@b.test> SMTPUTF8\r\nRCPT TO:<@relay.test:u@example.test>\r\n"
                + "RCPT TO:<u%other.test@example.test>\r\nRCPT TO:<bang!u@example.test>\r\nDATA\r\n.\r\n",
            "EHLO a\r\nMAIL FROM:<a@[IPv6:::1]>\r\nRCPT TO:<ü@xn--bcher-kva.test>\r\nDATA\r\nReceived: x\r\n\r\n\n.\r\n",
            "ehlo a\r\nmail from: <a@b>\r\nrcpt to: <B@EXAMPLE.TEST.>\r\nbdat 10 last\r\n0123456789STARTTLS\r\nAUTH PLAIN\r\n",
        ];
        foreach (var session in sessions)
        {
            yield return Encoding.UTF8.GetBytes(session);
        }
    }

    public void Run(ReadOnlySpan<byte> input)
    {
        _logs.Drain();
        var data = input.ToArray();
        string transcript;
        using (var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            socket.Connect(_endPoint);
            socket.ReceiveTimeout = (int)SessionDeadline.TotalMilliseconds;

            // Send while reading, so a server blocked on a full send buffer cannot deadlock us.
            var sender = Task.Run(() =>
            {
                try
                {
                    socket.Send(data);
                    socket.Shutdown(SocketShutdown.Send);
                }
                catch (SocketException)
                {
                    // The server closed first (e.g. 421 after too many errors): that is allowed.
                }
            });
            transcript = ReadAll(socket);
            sender.Wait(SessionDeadline);
        }

        CheckReplies(transcript);
        var deadline = DateTime.UtcNow + SessionDeadline;
        while (_server.ActiveSessions > 0 && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(1);
        }

        if (_server.ActiveSessions > 0)
        {
            throw new FuzzFinding("a session did not end after its client closed");
        }

        foreach (var entry in _logs.Drain())
        {
            if (entry.Level >= LogLevel.Error || (entry.Exception is { } ex && UnexpectedExceptions.IsBug(ex)))
            {
                throw new FuzzFinding($"{entry.Category}: {entry.Message}", entry.Exception);
            }
        }
    }

    public void Dispose()
    {
        _server.StopAsync(CancellationToken.None).GetAwaiter().GetResult();
        _server.Dispose();
        _loggerFactory.Dispose();
    }

    private string ReadAll(Socket socket)
    {
        var text = new StringBuilder();
        var deadline = DateTime.UtcNow + SessionDeadline;
        while (true)
        {
            int read;
            try
            {
                read = socket.Receive(_buffer);
            }
            catch (SocketException ex) when (ex.SocketErrorCode == SocketError.TimedOut)
            {
                throw new FuzzFinding("the server neither replied nor closed within " + SessionDeadline);
            }
            catch (SocketException)
            {
                // Reset by the server after its last reply (it closed with our data unread).
                return text.ToString();
            }

            if (read == 0)
            {
                return text.ToString();
            }

            text.Append(Encoding.Latin1.GetString(_buffer, 0, read));
            if (DateTime.UtcNow > deadline)
            {
                throw new FuzzFinding("the session was still running " + SessionDeadline + " after the input ended");
            }
        }
    }

    private static void CheckReplies(string transcript)
    {
        if (transcript.Length == 0)
        {
            throw new FuzzFinding("no greeting");
        }

        if (!transcript.EndsWith("\r\n", StringComparison.Ordinal))
        {
            throw new FuzzFinding("the last reply line is not ended by CRLF");
        }

        foreach (var line in transcript[..^2].Split("\r\n"))
        {
            var wellFormed = line.Length >= 4 && char.IsAsciiDigit(line[0]) && line[0] is >= '2' and <= '5'
                && char.IsAsciiDigit(line[1]) && char.IsAsciiDigit(line[2]) && line[3] is ' ' or '-'
                && line.Length <= 512 && !line.Contains('\r') && !line.Contains('\n') && !line.Contains('\0');
            if (!wellFormed)
            {
                throw new FuzzFinding("malformed reply line: " + line[..Math.Min(line.Length, 80)]);
            }
        }
    }

    private sealed class AcceptingSenderIntelligence : ISenderIntelligence
    {
        public Task<ConnectDecision> CheckConnectAsync(ConnectRequest request, CancellationToken cancellationToken) =>
            Task.FromResult(new ConnectDecision { Verdict = new Verdict { Action = V1.Action.Accept } });

        public Task ReleaseConnectionAsync(ReleaseConnectionRequest request, CancellationToken cancellationToken) =>
            Task.CompletedTask;

        public Task<MailDecision> CheckMailAsync(MailRequest request, CancellationToken cancellationToken) =>
            Task.FromResult(new MailDecision { Verdict = new Verdict { Action = V1.Action.Accept } });

        public Task<RcptDecision> CheckRcptAsync(RcptRequest request, CancellationToken cancellationToken) =>
            Task.FromResult(new RcptDecision { Verdict = new Verdict { Action = V1.Action.Accept } });

        public Task<EndOfDataDecision> CheckEndOfDataAsync(EndOfDataRequest request, CancellationToken cancellationToken) =>
            Task.FromResult(new EndOfDataDecision { Verdict = new Verdict { Action = V1.Action.Accept } });

        public Task<CloseSessionReply> CloseSessionAsync(CloseSessionRequest request, CancellationToken cancellationToken) =>
            Task.FromResult(new CloseSessionReply());

        public Task<OutcomeReply> RecordOutcomeAsync(OutcomeReport request, CancellationToken cancellationToken) =>
            Task.FromResult(new OutcomeReply());

        public Task<SenderProfile> GetProfileAsync(SenderProfileRequest request, CancellationToken cancellationToken) =>
            throw new NotSupportedException();

        public Task<SenderProfile> ApproveSenderAsync(ApproveSenderRequest request, CancellationToken cancellationToken) =>
            throw new NotSupportedException();

        public Task<SenderProfile> BlockSenderAsync(BlockSenderRequest request, CancellationToken cancellationToken) =>
            throw new NotSupportedException();

        public Task<SenderProfile> ResetSenderAsync(ResetSenderRequest request, CancellationToken cancellationToken) =>
            throw new NotSupportedException();
    }

    private sealed class AcceptingFilter : IFingerprintFilter
    {
        public Task<ScanResult> ScanAsync(ScanRequest request, CancellationToken cancellationToken) =>
            Task.FromResult(new ScanResult { Verdict = new Verdict { Action = V1.Action.Accept } });

        public Task<ReportResult> ReportAsync(ReportRequest request, CancellationToken cancellationToken) =>
            throw new NotSupportedException();

        public Task<FingerprintResult> FingerprintAsync(FingerprintRequest request,
            CancellationToken cancellationToken) =>
            throw new NotSupportedException();
    }

    private sealed class DiscardingSpool : IMessageSpool
    {
        private long _next;

        public string NewQueueId() => "Q"
            + Interlocked.Increment(ref _next).ToString(System.Globalization.CultureInfo.InvariantCulture);

        public Task StoreAsync(QueuedMessage message, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
        {
            // The spool's own contract: a message with at least one recipient, content with CRLF line ends.
            if (message.Recipients.Count == 0)
            {
                throw new FuzzFinding("a message with no recipient reached the spool");
            }

            return Task.CompletedTask;
        }
    }
}
