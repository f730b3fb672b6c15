using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Gateway.MtaEdge.Host.Delivery;
using Gateway.MtaEdge.Queue;
using Gateway.MtaEdge.Queue.Kafka;
using Gateway.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Gateway.Cluster.Tests.Delivery;

/// <summary>
/// The probe that settles a delivery cut off by a dead edge: is the copy in the mailbox or not? Against the
/// test Dovecot, with a copy delivered over LMTP the way the edge writes it (its Received: names the queue id).
/// </summary>
public sealed class ImapCopyProbeTests
{
    [RequiresFact(TestEnvironment.LmtpVariable, TestEnvironment.ImapVariable,
        TestEnvironment.MasterUserVariable, TestEnvironment.MasterPasswordVariable)]
    public async Task Find_CopyDeliveredWithThatQueueId_IsFound_AnotherQueueIdIsNot()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var user = $"probe{run}@example.test";
        var delivered = QueueIdGenerator.Next();
        var other = QueueIdGenerator.Next();
        await DeliverOverLmtpAsync(user, delivered);

        var probe = NewProbe();
        Assert.Equal(CopyProbeResult.Found, await probe.FindAsync(Message(delivered), user, CancellationToken.None));
        Assert.Equal(CopyProbeResult.NotFound, await probe.FindAsync(Message(other), user, CancellationToken.None));
    }

    [Fact]
    public async Task Find_StoreUnreachable_IsUnknown()
    {
        var probe = new ImapCopyProbe(Options.Create(new ImapProbeOptions
        {
            Host = "127.0.0.1",
            Port = FreePort.Next(),
            MasterUser = "master",
            MasterPassword = "secret",
            Timeout = TimeSpan.FromSeconds(2),
        }), new ConfigurationBuilder().Build());
        Assert.Equal(CopyProbeResult.Unknown,
            await probe.FindAsync(Message(QueueIdGenerator.Next()), "ann@example.test", CancellationToken.None));
    }

    private static ImapCopyProbe NewProbe()
    {
        var (host, port) = TestEnvironment.HostPort(TestEnvironment.ImapVariable);
        return new ImapCopyProbe(Options.Create(new ImapProbeOptions
        {
            Host = host,
            Port = port,
            Security = "None",
            MasterUser = TestEnvironment.Require(TestEnvironment.MasterUserVariable),
            MasterPassword = TestEnvironment.Require(TestEnvironment.MasterPasswordVariable),
        }), new ConfigurationBuilder().Build());
    }

    private static QueuedMessage Message(string queueId) => new()
    {
        QueueId = queueId,
        MailFrom = "a@sender.invalid",
        Recipients = [],
        ClientAddress = "192.0.2.1",
        ReceivedAt = DateTimeOffset.UtcNow,
    };

    /// <summary>RFC 2033 LMTP, line by line, as little as it takes.</summary>
    private static async Task DeliverOverLmtpAsync(string user, string queueId)
    {
        var (host, port) = TestEnvironment.HostPort(TestEnvironment.LmtpVariable);
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(host, port);
        var stream = tcp.GetStream();
        using var reader = new StreamReader(stream, Encoding.ASCII);
        async Task<string> ReplyAsync()
        {
            string line;
            do
            {
                line = await reader.ReadLineAsync() ?? throw new IOException("LMTP closed");
            }
            while (line.Length > 3 && line[3] == '-');
            return line;
        }

        async Task<string> SendAsync(string text)
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes(text));
            return await ReplyAsync();
        }

        Assert.StartsWith("220", await ReplyAsync());
        Assert.StartsWith("250", await SendAsync("LHLO test\r\n"));
        Assert.StartsWith("250", await SendAsync("MAIL FROM:<a@sender.invalid>\r\n"));
        Assert.StartsWith("250", await SendAsync($"RCPT TO:<{user}>\r\n"));
        Assert.StartsWith("354", await SendAsync("DATA\r\n"));
        var date = DateTimeOffset.UtcNow.ToString("ddd, dd MMM yyyy HH:mm:ss +0000", CultureInfo.InvariantCulture);
        Assert.StartsWith("250", await SendAsync(
            $"Received: from client.test ([192.0.2.1])\r\n\tby gw.test with ESMTP id {queueId};\r\n\t{date}\r\n" +
            $"From: a@sender.invalid\r\nTo: {user}\r\nSubject: probe\r\nMessage-ID: <{queueId}@gw.test>\r\n\r\n" +
            "A message delivered just before its edge died.\r\n.\r\n"));
        await SendAsync("QUIT\r\n");
    }
}
