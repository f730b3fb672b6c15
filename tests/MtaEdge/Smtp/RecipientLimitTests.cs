using Gateway.MtaEdge.Tests.Smtp.Support;
using Xunit;

namespace Gateway.MtaEdge.Tests.Smtp;

/// <summary>The recipient limit: at least 100 accepted (RFC 5321 4.5.3.1.10), then 452 4.5.3.</summary>
public sealed class RecipientLimitTests
{
    [Theory]
    [InlineData(1, 5)]
    [InlineData(3, 3)]
    [InlineData(3, 4)]
    [InlineData(100, 100)]
    [InlineData(100, 101)]
    [InlineData(100, 2000)]
    public async Task Rcpt_OverLimit_452AndOnlyTheFirstStored(int limit, int sent)
    {
        await using var server = await TestSmtpServer.StartAsync(o => o.MaxRecipients = limit);
        await using var client = await server.ConnectAndHelloAsync();
        Assert.Equal("250 2.1.0", (await client.CommandAsync("MAIL FROM:<a@sender.test>")).Status);

        // Pipelined, as a bulk sender would.
        await client.SendAsync(
            string.Concat(Enumerable.Range(0, sent).Select(i => $"RCPT TO:<user{i}@example.test>\r\n")));
        for (var i = 0; i < sent; i++)
        {
            Assert.Equal(i < limit ? "250 2.1.5" : "452 4.5.3", (await client.ReadReplyAsync()).Status);
        }

        Assert.Equal(354, (await client.CommandAsync("DATA")).Code);
        await client.SendAsync("Subject: many\r\n\r\nbody\r\n.\r\n");
        Assert.Equal("250 2.0.0", (await client.ReadReplyAsync()).Status);
        await client.QuitAsync();

        var recipients = server.Spool.Single().Envelope.Recipients.Select(r => r.Address).ToList();
        Assert.Equal(Enumerable.Range(0, Math.Min(limit, sent)).Select(i => $"user{i}@example.test"), recipients);
    }

    [Fact]
    public async Task Rcpt_RepeatedRecipient_AcceptedOnceEvenAtTheLimit()
    {
        await using var server = await TestSmtpServer.StartAsync(o => o.MaxRecipients = 2);
        await using var client = await server.ConnectAndHelloAsync();
        Assert.Equal("250 2.1.0", (await client.CommandAsync("MAIL FROM:<a@sender.test>")).Status);

        Assert.Equal("250 2.1.5", (await client.CommandAsync("RCPT TO:<a@example.test>")).Status);
        Assert.Equal("250 2.1.5", (await client.CommandAsync("RCPT TO:<b@example.test>")).Status);
        Assert.Equal("250 2.1.5", (await client.CommandAsync("RCPT TO:<a@EXAMPLE.TEST.>")).Status);
        Assert.Equal("250 2.1.5", (await client.CommandAsync("RCPT TO:<\"a\"@example.test>")).Status);

        // The local part is case-sensitive (RFC 5321 2.4): another recipient, over the limit.
        Assert.Equal("452 4.5.3", (await client.CommandAsync("RCPT TO:<A@example.test>")).Status);
        Assert.Equal("452 4.5.3", (await client.CommandAsync("RCPT TO:<c@example.test>")).Status);

        Assert.Equal(354, (await client.CommandAsync("DATA")).Code);
        await client.SendAsync("Subject: x\r\n\r\nbody\r\n.\r\n");
        Assert.Equal("250 2.0.0", (await client.ReadReplyAsync()).Status);
        await client.QuitAsync();

        Assert.Equal(
            new[] { "a@example.test", "b@example.test" },
            server.Spool.Single().Envelope.Recipients.Select(r => r.Address));
    }

    [Fact]
    public async Task Rcpt_LimitIsPerTransaction_RsetStartsAgain()
    {
        await using var server = await TestSmtpServer.StartAsync(o => o.MaxRecipients = 1);
        await using var client = await server.ConnectAndHelloAsync();

        Assert.Equal("250 2.1.0", (await client.CommandAsync("MAIL FROM:<a@sender.test>")).Status);
        Assert.Equal("250 2.1.5", (await client.CommandAsync("RCPT TO:<a@example.test>")).Status);
        Assert.Equal("452 4.5.3", (await client.CommandAsync("RCPT TO:<b@example.test>")).Status);
        Assert.Equal("250 2.0.0", (await client.CommandAsync("RSET")).Status);
        Assert.Equal("250 2.1.0", (await client.CommandAsync("MAIL FROM:<a@sender.test>")).Status);
        Assert.Equal("250 2.1.5", (await client.CommandAsync("RCPT TO:<b@example.test>")).Status);
        await client.QuitAsync();
    }
}
