using System.Net.Sockets;
using System.Text;

namespace Gateway.Reliability.Tests.Harness;

/// <summary>
/// A small SMTP client over a raw socket that reports exactly what happened, with a deadline on every read:
/// the tests need to know whether the final "." was sent and which reply (if any) came back.
/// </summary>
public sealed class SmtpLineClient : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly byte[] _buffer = new byte[8192];
    private readonly StringBuilder _pending = new();
    private readonly TimeSpan _timeout;

    private SmtpLineClient(Socket socket, TimeSpan timeout)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
        _timeout = timeout;
    }

    public static async Task<SmtpLineClient> ConnectAsync(int port, TimeSpan? timeout = null)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        var limit = timeout ?? TimeSpan.FromSeconds(30);
        try
        {
            using var cts = new CancellationTokenSource(limit);
            await socket.ConnectAsync("127.0.0.1", port, cts.Token);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return new SmtpLineClient(socket, limit);
    }

    /// <summary>Reads one whole (possibly multi-line) reply.</summary>
    public async Task<Reply> ReadReplyAsync()
    {
        using var cts = new CancellationTokenSource(_timeout);
        var lines = new List<string>();
        while (true)
        {
            var line = await ReadLineAsync(cts.Token);
            lines.Add(line);
            if (line.Length < 4 || line[3] != '-')
            {
                var code = line.Length >= 3 && int.TryParse(line.AsSpan(0, 3), out var c) ? c : 0;
                return new Reply(code, string.Join("\n", lines));
            }
        }
    }

    public async Task<Reply> CommandAsync(string line)
    {
        await SendAsync(Encoding.UTF8.GetBytes(line + "\r\n"));
        return await ReadReplyAsync();
    }

    public async Task SendAsync(ReadOnlyMemory<byte> bytes)
    {
        using var cts = new CancellationTokenSource(_timeout);
        await _stream.WriteAsync(bytes, cts.Token);
    }

    /// <summary>Half-closes: the server sees end of stream after what was sent.</summary>
    public void ShutdownSend() => _socket.Shutdown(SocketShutdown.Send);

    /// <summary>Reads until the server closes; returns everything it sent. Throws on timeout.</summary>
    public async Task<string> ReadToEndAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var text = new StringBuilder(_pending.ToString());
        _pending.Clear();
        while (true)
        {
            int read;
            try
            {
                read = await _stream.ReadAsync(_buffer, cts.Token);
            }
            catch (IOException)
            {
                return text.ToString();
            }

            if (read == 0)
            {
                return text.ToString();
            }

            text.Append(Encoding.Latin1.GetString(_buffer, 0, read));
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
        }
        catch (ObjectDisposedException)
        {
        }

        await _stream.DisposeAsync();
    }

    /// <summary>Converts a message to the DATA wire form: CRLF line ends, dot-stuffed, ended by CRLF "." CRLF.</summary>
    public static byte[] DataWireForm(ReadOnlySpan<byte> message)
    {
        var output = new MemoryStream(message.Length + message.Length / 20 + 8);
        var lineStart = true;
        for (var i = 0; i < message.Length; i++)
        {
            var b = message[i];
            if (lineStart && b == (byte)'.')
            {
                output.WriteByte((byte)'.');
            }

            if (b == (byte)'\r')
            {
                // CR LF stays, a lone CR becomes CR LF.
                output.WriteByte((byte)'\r');
                output.WriteByte((byte)'\n');
                if (i + 1 < message.Length && message[i + 1] == (byte)'\n')
                {
                    i++;
                }

                lineStart = true;
                continue;
            }

            if (b == (byte)'\n')
            {
                output.WriteByte((byte)'\r');
                output.WriteByte((byte)'\n');
                lineStart = true;
                continue;
            }

            output.WriteByte(b);
            lineStart = false;
        }

        if (!lineStart)
        {
            output.Write("\r\n"u8);
        }

        output.Write(".\r\n"u8);
        return output.ToArray();
    }

    private async Task<string> ReadLineAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var text = _pending.ToString();
            var end = text.IndexOf("\r\n", StringComparison.Ordinal);
            if (end >= 0)
            {
                _pending.Remove(0, end + 2);
                return text[..end];
            }

            var read = await _stream.ReadAsync(_buffer, cancellationToken);
            if (read == 0)
            {
                throw new IOException("the server closed the connection");
            }

            _pending.Append(Encoding.Latin1.GetString(_buffer, 0, read));
        }
    }

    public sealed record Reply(int Code, string Text)
    {
        /// <summary>The enhanced status code of the first line (RFC 3463), or "" when there is none.</summary>
        public string EnhancedCode
        {
            get
            {
                var first = Text.Split('\n')[0];
                var rest = first.Length > 4 ? first[4..] : "";
                var space = rest.IndexOf(' ');
                var candidate = space > 0 ? rest[..space] : rest;
                return candidate.Count(c => c == '.') == 2 && char.IsDigit(candidate[0]) ? candidate : "";
            }
        }

        public override string ToString() => Text;
    }
}
