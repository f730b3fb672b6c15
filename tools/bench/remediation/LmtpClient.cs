using System.Net.Sockets;
using System.Text;

namespace Gateway.Bench.Remediation;

/// <summary>One LMTP transaction (RFC 2033) per message, many recipients, to the test Dovecot.</summary>
public static class LmtpClient
{
    public static async Task DeliverAsync(string host, int port, IReadOnlyList<string> recipients, string message)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        using var client = new TcpClient();
        await client.ConnectAsync(host, port, timeout.Token);
        await using var stream = client.GetStream();
        using var reader = new StreamReader(stream, Encoding.ASCII);

        async Task<string> ReplyAsync()
        {
            for (var lines = 0; lines < 100; lines++)
            {
                var line = await reader.ReadLineAsync(timeout.Token) ?? throw new IOException("LMTP closed");
                if (line.Length < 4 || line[3] != '-')
                {
                    return line;
                }
            }

            throw new IOException("LMTP reply too long");
        }

        async Task ExpectAsync(string command, char code)
        {
            if (command.Length > 0)
            {
                await stream.WriteAsync(Encoding.ASCII.GetBytes(command + "\r\n"), timeout.Token);
            }

            var reply = await ReplyAsync();
            if (reply.Length == 0 || reply[0] != code)
            {
                throw new IOException($"LMTP answered '{reply}' to '{command}'");
            }
        }

        await ExpectAsync("", '2');
        await ExpectAsync("LHLO bench.example", '2');
        await ExpectAsync("MAIL FROM:<bulk@sender.test>", '2');
        foreach (var recipient in recipients)
        {
            await ExpectAsync($"RCPT TO:<{recipient}>", '2');
        }

        await ExpectAsync("DATA", '3');
        await stream.WriteAsync(Encoding.ASCII.GetBytes(message.TrimEnd('\r', '\n') + "\r\n.\r\n"), timeout.Token);
        foreach (var _ in recipients)
        {
            await ExpectAsync("", '2');
        }

        await ExpectAsync("QUIT", '2');
    }
}
