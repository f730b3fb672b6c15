using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Gateway.MtaEdge.Delivery.Transfer;

namespace Gateway.MtaEdge.Tests.Delivery.Support;

/// <summary>
/// A scripted SMTP/LMTP server on 127.0.0.1 for tests: answers with the replies the test sets,
/// records every command and every received message (un-dot-stuffed, byte for byte).
/// </summary>
public sealed class FakeMailServer : IAsyncDisposable
{
    private const int MaxLineOctets = 64 * 1024;

    private readonly TcpListener _listener;
    private readonly TransferProtocol _protocol;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _acceptLoop;
    private int _connections;

    public FakeMailServer(TransferProtocol protocol, int port = 0)
    {
        _protocol = protocol;
        _listener = new TcpListener(IPAddress.Loopback, port);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _acceptLoop = AcceptLoopAsync();
    }

    public int Port { get; }

    public string Greeting { get; set; } = "220 fake.test ready";

    /// <summary>Extension lines after the first line of the EHLO/LHLO reply.</summary>
    public List<string> Extensions { get; set; } = ["8BITMIME", "SMTPUTF8", "ENHANCEDSTATUSCODES", "SIZE 10000000"];

    /// <summary>Reply to MAIL (connection number from 1, command line).</summary>
    public Func<int, string, string> MailReply { get; set; } = (_, _) => "250 2.1.0 Ok";

    /// <summary>Reply to RCPT (connection number, recipient address).</summary>
    public Func<int, string, string> RcptReply { get; set; } = (_, _) => "250 2.1.5 Ok";

    /// <summary>
    /// Reply after the data (connection number, recipient): called once per accepted recipient for
    /// LMTP, once with the first accepted recipient for SMTP.
    /// </summary>
    public Func<int, string, string> DataReply { get; set; } = (_, _) => "250 2.0.0 Ok: queued";

    /// <summary>When set, EHLO is answered 502 (a server from before ESMTP).</summary>
    public bool RejectEhlo { get; set; }

    /// <summary>When set, the server goes silent after the greeting (for timeout tests).</summary>
    public bool SilentAfterGreeting { get; set; }

    public int Connections => Volatile.Read(ref _connections);

    public ConcurrentQueue<string> Commands { get; } = new();

    public ConcurrentQueue<ReceivedMessage> Received { get; } = new();

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        try
        {
            await _acceptLoop.WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception exception)
            when (exception is OperationCanceledException or SocketException or TimeoutException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception exception)
                when (exception is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            var number = Interlocked.Increment(ref _connections);
            _ = Task.Run(() => ServeAsync(client, number));
        }
    }

    private async Task ServeAsync(TcpClient client, int connection)
    {
        using var _ = client;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        var token = timeout.Token;
        var stream = client.GetStream();
        var reader = new LineReader(stream);
        try
        {
            await SendAsync(stream, Greeting, token);
            if (SilentAfterGreeting)
            {
                await Task.Delay(Timeout.Infinite, token);
            }

            string mailFrom = "";
            var recipients = new List<string>();
            while (true)
            {
                var lineBytes = await reader.ReadLineAsync(token);
                if (lineBytes is null)
                {
                    return;
                }

                var line = Encoding.UTF8.GetString(lineBytes);
                Commands.Enqueue(line);
                var verb = line.Split(' ', 2)[0].ToUpperInvariant();
                if (verb.StartsWith("MAIL", StringComparison.Ordinal)
                    || verb.StartsWith("RCPT", StringComparison.Ordinal))
                {
                    verb = verb[..4];
                }

                switch (verb)
                {
                    case "EHLO" when RejectEhlo:
                        await SendAsync(stream, "502 5.5.2 Command not recognized", token);
                        break;
                    case "EHLO" or "LHLO":
                        var lines = new List<string> { "fake.test hello" };
                        lines.AddRange(Extensions);
                        await SendAsync(stream, MultiLine(250, lines), token);
                        break;
                    case "HELO":
                        await SendAsync(stream, "250 fake.test", token);
                        break;
                    case "MAIL":
                        mailFrom = Between(line, '<', '>');
                        recipients.Clear();
                        await SendAsync(stream, MailReply(connection, line), token);
                        break;
                    case "RCPT":
                        var address = Between(line, '<', '>');
                        var reply = RcptReply(connection, address);
                        if (reply.StartsWith('2'))
                        {
                            recipients.Add(address);
                        }

                        await SendAsync(stream, reply, token);
                        break;
                    case "DATA":
                        await SendAsync(stream, "354 End data with <CR><LF>.<CR><LF>", token);
                        var data = await reader.ReadDataAsync(token);
                        Received.Enqueue(new ReceivedMessage(connection, mailFrom, recipients.ToList(), data));
                        if (_protocol == TransferProtocol.Lmtp)
                        {
                            foreach (var recipient in recipients)
                            {
                                await SendAsync(stream, DataReply(connection, recipient), token);
                            }
                        }
                        else
                        {
                            await SendAsync(stream, DataReply(connection, recipients.FirstOrDefault() ?? ""), token);
                        }

                        break;
                    case "RSET":
                        recipients.Clear();
                        await SendAsync(stream, "250 2.0.0 Ok", token);
                        break;
                    case "QUIT":
                        await SendAsync(stream, "221 2.0.0 Bye", token);
                        return;
                    default:
                        await SendAsync(stream, "502 5.5.2 Unknown command", token);
                        break;
                }
            }
        }
        catch (Exception exception) when (exception is IOException or OperationCanceledException or SocketException)
        {
            // The client went away or the test ended.
        }
    }

    private static string MultiLine(int code, List<string> lines) =>
        string.Join("\r\n", lines.Select((l, i) => $"{code}{(i == lines.Count - 1 ? ' ' : '-')}{l}"));

    private static string Between(string text, char open, char close)
    {
        var start = text.IndexOf(open);
        var end = text.LastIndexOf(close);
        return start >= 0 && end > start ? text[(start + 1)..end] : "";
    }

    private static Task SendAsync(NetworkStream stream, string reply, CancellationToken token) =>
        stream.WriteAsync(Encoding.UTF8.GetBytes(reply + "\r\n"), token).AsTask();

    /// <summary>One message as the server received it.</summary>
    public sealed record ReceivedMessage(
        int Connection, string MailFrom, IReadOnlyList<string> Recipients, byte[] Data);

    private sealed class LineReader(NetworkStream stream)
    {
        private readonly byte[] _buffer = new byte[8192];
        private int _start;
        private int _end;

        /// <summary>A line without its CRLF, or null at end of stream.</summary>
        public async Task<byte[]?> ReadLineAsync(CancellationToken token)
        {
            var line = new List<byte>();
            while (true)
            {
                if (_start == _end)
                {
                    _start = 0;
                    _end = await stream.ReadAsync(_buffer, token);
                    if (_end == 0)
                    {
                        return null;
                    }
                }

                var b = _buffer[_start++];
                if (b == '\n')
                {
                    if (line.Count > 0 && line[^1] == '\r')
                    {
                        line.RemoveAt(line.Count - 1);
                    }

                    return line.ToArray();
                }

                line.Add(b);
                if (line.Count > MaxLineOctets)
                {
                    throw new IOException("line too long");
                }
            }
        }

        /// <summary>Reads the data up to the lone "." line; undoes dot-stuffing; keeps CRLFs.</summary>
        public async Task<byte[]> ReadDataAsync(CancellationToken token)
        {
            var data = new List<byte>();
            while (await ReadLineAsync(token) is { } line)
            {
                if (line is [(byte)'.'])
                {
                    return data.ToArray();
                }

                data.AddRange(line.Length > 0 && line[0] == '.' ? line[1..] : line);
                data.Add((byte)'\r');
                data.Add((byte)'\n');
            }

            throw new IOException("connection closed in DATA");
        }
    }
}
