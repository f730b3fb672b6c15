using Xunit;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Gateway.MtaEdge.Tests.Smtp.Support;

/// <summary>
/// A wire-level SMTP client for tests: sends exact bytes (bare CR, LF, NUL, anything) and reads
/// replies one whole reply at a time. Every wait is bounded (10 s by default).
/// </summary>
public sealed class RawSmtpClient : IAsyncDisposable
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    private readonly Socket _socket;
    private readonly byte[] _readBuffer = new byte[64 * 1024];
    private readonly List<byte> _pending = new();
    private Stream _stream;
    private bool _closed;

    private RawSmtpClient(Socket socket)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: false);
    }

    /// <summary>The TLS session after <see cref="StartTlsAsync"/>, else null.</summary>
    public SslStream? Tls { get; private set; }

    /// <summary>Sends raw bytes before anything else (e.g. a PROXY header), then behaves as usual.</summary>
    public static async Task<RawSmtpClient> ConnectAsync(IPEndPoint endpoint, byte[] preamble)
    {
        var client = await ConnectAsync(endpoint);
        await client.SendAsync(preamble);
        return client;
    }

    /// <summary>
    /// The TLS handshake after the server's 220 to STARTTLS. Any server certificate is accepted (the
    /// test looks at it itself); anything still unread from before is an error.
    /// </summary>
    public async Task StartTlsAsync(SslProtocols protocols = SslProtocols.None)
    {
        Assert.Empty(_pending);
        var tls = new SslStream(_stream, leaveInnerStreamOpen: true, (_, _, _, _) => true);
        using var timeout = new CancellationTokenSource(DefaultTimeout);
        await tls.AuthenticateAsClientAsync(
            new SslClientAuthenticationOptions { TargetHost = "mx.gateway.test", EnabledSslProtocols = protocols },
            timeout.Token);
        Tls = tls;
        _stream = tls;
    }

    public X509Certificate2? ServerCertificate =>
        Tls?.RemoteCertificate is { } certificate ? new X509Certificate2(certificate) : null;

    public static async Task<RawSmtpClient> ConnectAsync(IPEndPoint endpoint)
    {
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var timeout = new CancellationTokenSource(DefaultTimeout);
        await socket.ConnectAsync(endpoint, timeout.Token);
        return new RawSmtpClient(socket);
    }

    /// <summary>Connects, reads the 220 greeting and says EHLO.</summary>
    public static async Task<RawSmtpClient> ConnectAndHelloAsync(IPEndPoint endpoint, string helo = "client.test")
    {
        var client = await ConnectAsync(endpoint);
        var greeting = await client.ReadReplyAsync();
        Assert.Equal(220, greeting.Code);
        var ehlo = await client.CommandAsync("EHLO " + helo);
        Assert.Equal(250, ehlo.Code);
        return client;
    }

    public async Task SendAsync(byte[] bytes)
    {
        using var timeout = new CancellationTokenSource(DefaultTimeout);
        await _stream.WriteAsync(bytes, timeout.Token);
    }

    public Task SendAsync(string text) => SendAsync(Encoding.UTF8.GetBytes(text));

    public Task SendLineAsync(string line) => SendAsync(line + "\r\n");

    /// <summary>Sends one command line and reads its reply.</summary>
    public async Task<SmtpTestReply> CommandAsync(string line)
    {
        await SendLineAsync(line);
        return await ReadReplyAsync();
    }

    /// <summary>MAIL, RCPT for each recipient, DATA: asserts 250, 250..., 354.</summary>
    public async Task BeginMessageAsync(string from = "a@sender.test", params string[] recipients)
    {
        if (recipients.Length == 0)
        {
            recipients = new[] { "user@example.test" };
        }

        Assert.Equal("250 2.1.0", (await CommandAsync($"MAIL FROM:<{from}>")).Status);
        foreach (var recipient in recipients)
        {
            Assert.Equal("250 2.1.5", (await CommandAsync($"RCPT TO:<{recipient}>")).Status);
        }

        Assert.Equal(354, (await CommandAsync("DATA")).Code);
    }

    /// <summary>A whole transaction with <paramref name="data"/> sent as is (it must end with CRLF.CRLF).</summary>
    public async Task<SmtpTestReply> SendMessageAsync(
        byte[] data, string from = "a@sender.test", params string[] recipients)
    {
        await BeginMessageAsync(from, recipients);
        await SendAsync(data);
        return await ReadReplyAsync();
    }

    /// <summary>QUIT gets 221 as the very next reply (nothing extra queued before it) and the server closes.</summary>
    public async Task QuitAsync()
    {
        var bye = await CommandAsync("QUIT");
        Assert.Equal("221 2.0.0", bye.Status);
        Assert.True(await WaitForCloseAsync(), "the server sent more after 221");
    }

    /// <summary>Reads the next whole reply; fails when the server closes or stays silent.</summary>
    public async Task<SmtpTestReply> ReadReplyAsync(TimeSpan? timeout = null) =>
        await TryReadReplyAsync(timeout)
        ?? throw new Xunit.Sdk.XunitException("the server closed the connection instead of replying");

    /// <summary>Reads the next whole reply; null when the server closed the connection first.</summary>
    public async Task<SmtpTestReply?> TryReadReplyAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        var lines = new List<string>();
        var code = 0;
        while (true)
        {
            var line = await ReadLineAsync(cts.Token);
            if (line is null)
            {
                if (lines.Count > 0)
                {
                    throw new Xunit.Sdk.XunitException(
                        "connection closed in the middle of a reply: " + string.Join(" | ", lines));
                }

                return null;
            }

            if (line.Length < 4 || !int.TryParse(line[..3], out var lineCode) || (line[3] != ' ' && line[3] != '-'))
            {
                throw new Xunit.Sdk.XunitException("not an SMTP reply line: " + line);
            }

            if (code != 0 && lineCode != code)
            {
                throw new Xunit.Sdk.XunitException($"reply code changed inside a multi-line reply: {code} then {line}");
            }

            code = lineCode;
            lines.Add(line[4..]);
            if (line[3] == ' ')
            {
                return new SmtpTestReply(code, lines);
            }
        }
    }

    /// <summary>True when the server closes the connection without sending anything more.</summary>
    public async Task<bool> WaitForCloseAsync(TimeSpan? timeout = null)
    {
        if (_pending.Count > 0)
        {
            return false;
        }

        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        try
        {
            return await FillAsync(cts.Token) == 0;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (Exception ex) when (ex is SocketException or IOException)
        {
            return true;
        }
    }

    /// <summary>Waits <paramref name="window"/>; returns whatever the server sent in it (empty when quiet).</summary>
    public async Task<byte[]> ReadAnyAsync(TimeSpan window)
    {
        if (_pending.Count == 0 && !_closed)
        {
            using var cts = new CancellationTokenSource(window);
            try
            {
                await FillAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                // Quiet for the whole window.
            }
        }

        var bytes = _pending.ToArray();
        _pending.Clear();
        return bytes;
    }

    public bool IsClosed => _closed;

    private async Task<string?> ReadLineAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            for (var i = 0; i + 1 < _pending.Count; i++)
            {
                if (_pending[i] == '\r' && _pending[i + 1] == '\n')
                {
                    var line = Encoding.UTF8.GetString(_pending.GetRange(0, i).ToArray());
                    _pending.RemoveRange(0, i + 2);
                    return line;
                }
            }

            try
            {
                if (await FillAsync(cancellationToken) == 0)
                {
                    return null;
                }
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException("no complete reply from the server in time; received so far: "
                    + Encoding.UTF8.GetString(_pending.ToArray()));
            }
            catch (Exception ex) when (ex is SocketException or IOException)
            {
                return null;
            }
        }
    }

    private async Task<int> FillAsync(CancellationToken cancellationToken)
    {
        if (_closed)
        {
            return 0;
        }

        var read = await _stream.ReadAsync(_readBuffer, cancellationToken);
        if (read == 0)
        {
            _closed = true;
        }

        _pending.AddRange(_readBuffer.AsSpan(0, read).ToArray());
        return read;
    }

    public async ValueTask DisposeAsync()
    {
        if (Tls is not null)
        {
            await Tls.DisposeAsync();
        }

        _socket.Dispose();
    }
}
