using Gateway.MtaEdge.Tests.Smtp.Support;
using Xunit;

namespace Gateway.MtaEdge.Tests.Smtp;

/// <summary>PIPELINING (RFC 2920): replies in the order of the commands, however they arrive.</summary>
public sealed class PipeliningTests
{
    [Fact]
    public async Task Pipeline_MixedRecipients_RepliesInOrderThenMessage()
    {
        await using var server = await TestSmtpServer.StartAsync();
        await using var client = await server.ConnectAndHelloAsync();

        await client.SendAsync(
            "MAIL FROM:<a@sender.test>\r\nRCPT TO:<one@example.test>\r\nRCPT TO:<x@other.test>\r\n" +
            "RCPT TO:<two@example.test>\r\nRCPT TO:<bad\r\nDATA\r\n");

        Assert.Equal("250 2.1.0", (await client.ReadReplyAsync()).Status);
        Assert.Equal("250 2.1.5", (await client.ReadReplyAsync()).Status);
        Assert.Equal("550 5.7.1", (await client.ReadReplyAsync()).Status);
        Assert.Equal("250 2.1.5", (await client.ReadReplyAsync()).Status);
        Assert.Equal("501 5.1.3", (await client.ReadReplyAsync()).Status);
        Assert.Equal(354, (await client.ReadReplyAsync()).Code);
        await client.SendAsync("Subject: p\r\n\r\nbody\r\n.\r\n");
        Assert.Equal("250 2.0.0", (await client.ReadReplyAsync()).Status);
        await client.QuitAsync();

        Assert.Equal(
            new[] { "one@example.test", "two@example.test" },
            server.Spool.Single().Envelope.Recipients.Select(r => r.Address));
    }

    [Fact]
    public async Task Pipeline_AllRecipientsRefused_Data554AndNo354()
    {
        await using var server = await TestSmtpServer.StartAsync();
        await using var client = await server.ConnectAndHelloAsync();

        await client.SendAsync(
            "MAIL FROM:<a@sender.test>\r\nRCPT TO:<x@other.test>\r\nRCPT TO:<y@[10.0.0.1]>\r\nDATA\r\nNOOP\r\n");

        Assert.Equal("250 2.1.0", (await client.ReadReplyAsync()).Status);
        Assert.Equal("550 5.7.1", (await client.ReadReplyAsync()).Status);
        Assert.Equal("550 5.7.1", (await client.ReadReplyAsync()).Status);
        Assert.Equal("554 5.5.1", (await client.ReadReplyAsync()).Status);
        Assert.Equal("250 2.0.0", (await client.ReadReplyAsync()).Status);
        await client.QuitAsync();
    }

    [Fact]
    public async Task Pipeline_WholeSessionInOneWrite_EveryCommandAnsweredInOrder()
    {
        await using var server = await TestSmtpServer.StartAsync();
        await using var client = await server.ConnectAsync();
        Assert.Equal(220, (await client.ReadReplyAsync()).Code);

        // Two messages and QUIT in one write; a client that does not wait for 354 still gets order.
        await client.SendAsync(
            "EHLO client.test\r\nMAIL FROM:<a@sender.test>\r\nRCPT TO:<user@example.test>\r\nDATA\r\n" +
            "Subject: one\r\n\r\nfirst\r\n.\r\n" +
            "MAIL FROM:<b@sender.test>\r\nRCPT TO:<user@example.test>\r\nDATA\r\n" +
            "Subject: two\r\n\r\nsecond\r\n.\r\nQUIT\r\n");

        Assert.Equal(250, (await client.ReadReplyAsync()).Code);
        foreach (var _ in new[] { 1, 2 })
        {
            Assert.Equal("250 2.1.0", (await client.ReadReplyAsync()).Status);
            Assert.Equal("250 2.1.5", (await client.ReadReplyAsync()).Status);
            Assert.Equal(354, (await client.ReadReplyAsync()).Code);
            Assert.Equal("250 2.0.0", (await client.ReadReplyAsync()).Status);
        }

        Assert.Equal("221 2.0.0", (await client.ReadReplyAsync()).Status);
        Assert.True(await client.WaitForCloseAsync());
        Assert.Equal(2, server.Spool.Stored.Count);
    }

    [Fact]
    public async Task Pipeline_ManyCommandsUnread_ServerKeepsOrderWithoutLosingReplies()
    {
        await using var server = await TestSmtpServer.StartAsync(o => o.MaxJunkCommands = 20_000);
        await using var client = await server.ConnectAndHelloAsync();

        // Far more reply text than the server buffers before flushing.
        const int count = 5000;
        await client.SendAsync(string.Concat(Enumerable.Repeat("NOOP\r\nVRFY x\r\n", count)));
        for (var i = 0; i < count; i++)
        {
            Assert.Equal("250 2.0.0", (await client.ReadReplyAsync()).Status);
            Assert.Equal("252 2.5.0", (await client.ReadReplyAsync()).Status);
        }

        await client.QuitAsync();
    }
}
