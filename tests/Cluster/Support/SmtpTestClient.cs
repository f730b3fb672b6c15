using System.Net.Sockets;
using System.Text;

namespace Gateway.Cluster.Tests.Support;

/// <summary>A line-level SMTP client, so tests can assert exact replies (and see a connection die
/// mid-transaction).</summary>
public sealed class SmtpTestClient : IAsyncDisposable
{
    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;
    private readonly StreamReader _reader;

    private SmtpTestClient(TcpClient tcp, TimeSpan timeout)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
        _stream.ReadTimeout = (int)timeout.TotalMilliseconds;
        _stream.WriteTimeout = (int)timeout.TotalMilliseconds;
        _reader = new StreamReader(_stream, Encoding.Latin1);
    }

    public SmtpReply? Greeting { get; private set; }

    public static async Task<SmtpTestClient> ConnectAsync(int port, TimeSpan? timeout = null)
    {
        var tcp = new TcpClient { NoDelay = true };
        try
        {
            await tcp.ConnectAsync("127.0.0.1", port);
            var client = new SmtpTestClient(tcp, timeout ?? TimeSpan.FromSeconds(60));
            client.Greeting = await client.ReadReplyAsync();
            return client;
        }
        catch
        {
            tcp.Dispose();
            throw;
        }
    }

    public async Task<SmtpReply> CommandAsync(string line)
    {
        await _stream.WriteAsync(Encoding.UTF8.GetBytes(line + "\r\n"));
        return await ReadReplyAsync();
    }

    /// <summary>MAIL, RCPT..., DATA and the message; returns the reply to the end of data, or the first
    /// refusal.</summary>
    public async Task<SmtpReply> SendAsync(string from, IEnumerable<string> recipients, string message)
    {
        var mail = await CommandAsync($"MAIL FROM:<{from}>");
        if (mail.Code != 250)
        {
            return mail;
        }

        foreach (var recipient in recipients)
        {
            var rcpt = await CommandAsync($"RCPT TO:<{recipient}>");
            if (rcpt.Code != 250)
            {
                return rcpt;
            }
        }

        var data = await CommandAsync("DATA");
        if (data.Code != 354)
        {
            return data;
        }

        var text = new StringBuilder();
        foreach (var line in message.Replace("\r\n", "\n").TrimEnd('\n').Split('\n'))
        {
            text.Append(line.StartsWith('.') ? "." + line : line).Append("\r\n");
        }

        text.Append(".\r\n");
        await _stream.WriteAsync(Encoding.UTF8.GetBytes(text.ToString()));
        return await ReadReplyAsync();
    }

    public async Task<SmtpReply> ReadReplyAsync()
    {
        var text = new StringBuilder();
        while (true)
        {
            var line = await _reader.ReadLineAsync() ?? throw new IOException("the server closed the connection");
            text.Append(line).Append('\n');
            if (line.Length < 4 || line[3] != '-')
            {
                return new SmtpReply(int.Parse(line[..3], System.Globalization.CultureInfo.InvariantCulture),
                    text.ToString().TrimEnd());
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _reader.Dispose();
        await _stream.DisposeAsync();
        _tcp.Dispose();
    }
}
