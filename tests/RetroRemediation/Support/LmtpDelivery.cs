using System.Net.Sockets;
using System.Text;
using Xunit;

namespace Gateway.RetroRemediation.Tests.Support;

/// <summary>
/// Delivers one message to Dovecot over LMTP on a raw socket, as the edge does (RFC 2033): after the
/// data, the server answers once per accepted recipient, and every answer must be 250.
/// </summary>
public static class LmtpDelivery
{
    public static async Task DeliverAsync(
        string host, int port, string mailFrom, IReadOnlyList<string> recipients, string message)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using var client = new TcpClient();
        await client.ConnectAsync(host, port, timeout.Token);
        await using var stream = client.GetStream();
        using var reader = new StreamReader(stream, Encoding.ASCII);

        async Task<string> ReplyAsync()
        {
            // A reply is lines "250-..." ending with one "250 ..."; return the last.
            for (var lines = 0; lines < 100; lines++)
            {
                var line = await reader.ReadLineAsync(timeout.Token)
                    ?? throw new IOException("LMTP server closed the connection");
                if (line.Length < 4 || line[3] != '-')
                {
                    return line;
                }
            }

            throw new IOException("LMTP reply too long");
        }

        async Task<string> CommandAsync(string line)
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes(line + "\r\n"), timeout.Token);
            return await ReplyAsync();
        }

        Assert.StartsWith("220", await ReplyAsync());
        Assert.StartsWith("250", await CommandAsync("LHLO remediation-tests.example"));
        Assert.StartsWith("250", await CommandAsync($"MAIL FROM:<{mailFrom}>"));
        foreach (var recipient in recipients)
        {
            Assert.StartsWith("250", await CommandAsync($"RCPT TO:<{recipient}>"));
        }

        Assert.StartsWith("354", await CommandAsync("DATA"));

        // Transparency (RFC 5321 section 4.5.2): a line starting with '.' gets one more.
        var stuffed = string.Join("\r\n", message.Split("\r\n").Select(l => l.StartsWith('.') ? "." + l : l));
        await stream.WriteAsync(Encoding.ASCII.GetBytes(stuffed.TrimEnd('\r', '\n') + "\r\n.\r\n"), timeout.Token);
        foreach (var recipient in recipients)
        {
            var reply = await ReplyAsync();
            Assert.True(reply.StartsWith("250", StringComparison.Ordinal), $"LMTP refused {recipient}: {reply}");
        }

        await CommandAsync("QUIT");
    }
}
