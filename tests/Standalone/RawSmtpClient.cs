using System.Net.Sockets;
using System.Text;

namespace Gateway.Standalone.Tests;

/// <summary>A minimal line-level SMTP client for asserting exact reply and enhanced status codes.</summary>
public sealed class RawSmtpClient : IAsyncDisposable
{
    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;
    private readonly StreamReader _reader;

    private RawSmtpClient(TcpClient tcp)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
        _stream.ReadTimeout = 30_000;
        _reader = new StreamReader(_stream, Encoding.Latin1);
    }

    public static async Task<(RawSmtpClient Client, SmtpReply Greeting)> ConnectAsync(int port)
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", port);
        var client = new RawSmtpClient(tcp);
        return (client, await client.ReadReplyAsync());
    }

    public async Task<SmtpReply> CommandAsync(string line)
    {
        await SendRawAsync(Encoding.UTF8.GetBytes(line + "\r\n"));
        return await ReadReplyAsync();
    }

    public async Task SendRawAsync(byte[] bytes)
    {
        await _stream.WriteAsync(bytes);
        await _stream.FlushAsync();
    }

    /// <summary>Sends a message body after 354: CRLF line ends, dot-stuffed, ended by CRLF.CRLF.</summary>
    public async Task<SmtpReply> SendDataAsync(string message)
    {
        var lines = message.Replace("\r\n", "\n").Split('\n');
        var sb = new StringBuilder();
        foreach (var line in lines)
        {
            sb.Append(line.StartsWith('.') ? "." + line : line).Append("\r\n");
        }

        sb.Append(".\r\n");
        await SendRawAsync(Encoding.UTF8.GetBytes(sb.ToString()));
        return await ReadReplyAsync();
    }

    public async Task<SmtpReply> ReadReplyAsync()
    {
        var text = new StringBuilder();
        while (true)
        {
            var line = await _reader.ReadLineAsync() ?? throw new IOException("connection closed while reading a reply");
            text.Append(line).Append('\n');
            if (line.Length < 4 || line[3] != '-')
            {
                return new SmtpReply(int.Parse(line[..3]), text.ToString().TrimEnd());
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
