using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Gateway.MtaEdge.Delivery.Transfer;

/// <summary>
/// One client connection to an SMTP or LMTP server: sends command lines and raw data, reads
/// complete replies. Every read and write is bounded in time and size, so a slow, silent or
/// chatty server costs at most the configured timeouts.
/// </summary>
internal sealed class MailTransferConnection : IAsyncDisposable
{
    /// <summary>RFC 5321 section 4.5.3.1.5 allows 512 octets per reply line; be lenient, not unbounded.</summary>
    public const int MaxLineOctets = 4096;

    /// <summary>More lines than any real EHLO or error reply has.</summary>
    public const int MaxReplyLines = 100;

    private const int WriteChunkOctets = 64 * 1024;

    private readonly Socket _socket;
    private readonly NetworkStream _network;
    private Stream _stream;
    private SslStream? _tls;
    private readonly TimeSpan _commandTimeout;
    private readonly byte[] _buffer = new byte[MaxLineOctets * 2];
    private int _start;
    private int _end;

    private MailTransferConnection(Socket socket, TimeSpan commandTimeout)
    {
        _socket = socket;
        _network = new NetworkStream(socket, ownsSocket: true);
        _stream = _network;
        _commandTimeout = commandTimeout;
    }

    /// <summary>"TLSv1.3 cipher" once <see cref="StartTlsAsync"/> succeeded, else "".</summary>
    public string TlsDescription => _tls is null ? "" : $"{_tls.SslProtocol} {_tls.NegotiatedCipherSuite}";

    /// <summary>
    /// The client side of STARTTLS (RFC 3207) after the server's 220: TLS 1.2 or newer. Delivery is
    /// opportunistic (RFC 7435): the server's certificate is not checked, since without DANE or
    /// MTA-STS nothing says which name it should carry, and plaintext would be no better.
    /// </summary>
    /// <exception cref="AuthenticationException">The handshake failed.</exception>
    /// <exception cref="TransferProtocolException">The server sent more after its 220.</exception>
    public async Task StartTlsAsync(string targetHost, CancellationToken cancellationToken)
    {
        if (_end != _start)
        {
            // Anything after the 220 would be plaintext injected before the handshake.
            throw new TransferProtocolException("the server sent data after its 220 to STARTTLS");
        }

        var tls = new SslStream(_network, leaveInnerStreamOpen: true, (_, _, _, _) => true);
        using var timeout = StartTimeout(cancellationToken);
        try
        {
            await tls.AuthenticateAsClientAsync(
                new SslClientAuthenticationOptions
                {
                    TargetHost = System.Net.IPAddress.TryParse(targetHost, out _) ? "" : targetHost,
                    EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                    CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                },
                timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await tls.DisposeAsync();
            throw TimedOut("in the TLS handshake");
        }
        catch
        {
            await tls.DisposeAsync();
            throw;
        }

        _tls = tls;
        _stream = tls;
    }

    /// <exception cref="SocketException">The connection was refused or the host is unknown.</exception>
    /// <exception cref="TimeoutException">No connection within <paramref name="connectTimeout"/>.</exception>
    public static async Task<MailTransferConnection> ConnectAsync(
        string host, int port, TimeSpan connectTimeout, TimeSpan commandTimeout, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(connectTimeout);
        try
        {
            await socket.ConnectAsync(host, port, timeout.Token);
            return new MailTransferConnection(socket, commandTimeout);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            socket.Dispose();
            throw new TimeoutException($"no connection within {connectTimeout.TotalSeconds:0.#} s");
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Sends one command line (CRLF appended) and reads its reply.</summary>
    public async Task<SmtpReply> CommandAsync(string command, CancellationToken cancellationToken)
    {
        if (command.AsSpan().IndexOfAny('\r', '\n') >= 0)
        {
            // Would let envelope text smuggle a second command onto the wire.
            throw new ArgumentException("A command line must not contain CR or LF.", nameof(command));
        }

        await WriteAsync(Encoding.UTF8.GetBytes(command + "\r\n"), cancellationToken);
        return await ReadReplyAsync(cancellationToken);
    }

    /// <summary>Writes raw octets (e.g. dot-stuffed message data), each chunk within the command timeout.</summary>
    public async Task WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        for (var offset = 0; offset < data.Length; offset += WriteChunkOctets)
        {
            var chunk = data.Slice(offset, Math.Min(WriteChunkOctets, data.Length - offset));
            using var timeout = StartTimeout(cancellationToken);
            try
            {
                await _stream.WriteAsync(chunk, timeout.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw TimedOut("sending");
            }
        }
    }

    /// <summary>Reads one complete (possibly multi-line) reply within the command timeout.</summary>
    /// <exception cref="TransferProtocolException">Malformed, over-long or endless reply.</exception>
    /// <exception cref="IOException">The server closed the connection.</exception>
    /// <exception cref="TimeoutException">No complete reply in time.</exception>
    public async Task<SmtpReply> ReadReplyAsync(CancellationToken cancellationToken)
    {
        using var timeout = StartTimeout(cancellationToken);
        try
        {
            var lines = new List<string>();
            while (true)
            {
                var line = await ReadLineAsync(timeout.Token);
                SmtpReply.ParseCode(line);
                lines.Add(line);
                if (!SmtpReply.IsContinuation(line))
                {
                    return SmtpReply.Parse(lines);
                }

                if (lines.Count >= MaxReplyLines)
                {
                    throw new TransferProtocolException($"reply longer than {MaxReplyLines} lines");
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw TimedOut("waiting for a reply");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_tls is not null)
        {
            await _tls.DisposeAsync();
        }

        await _network.DisposeAsync();
        _socket.Dispose();
    }

    private async Task<string> ReadLineAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            if (newline >= 0)
            {
                var length = newline - _start;
                if (length > 0 && _buffer[newline - 1] == (byte)'\r')
                {
                    length--;
                }

                var line = Encoding.UTF8.GetString(_buffer, _start, length);
                _start = newline + 1;
                return line;
            }

            if (_end - _start >= MaxLineOctets)
            {
                throw new TransferProtocolException($"reply line longer than {MaxLineOctets} octets");
            }

            if (_start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }

            var read = await _stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken);
            if (read == 0)
            {
                throw new IOException("the server closed the connection");
            }

            _end += read;
        }
    }

    private CancellationTokenSource StartTimeout(CancellationToken cancellationToken)
    {
        var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_commandTimeout);
        return timeout;
    }

    private TimeoutException TimedOut(string what) =>
        new($"timed out after {_commandTimeout.TotalSeconds:0.#} s {what}");
}
