using System.Text;
using Gateway.MtaEdge.Tests.Smtp.Support;
using Xunit;

namespace Gateway.MtaEdge.Tests.Smtp;

/// <summary>BDAT (RFC 3030 CHUNKING): length-framed data, limits while streaming, never read as commands.</summary>
public sealed class BdatTests
{
    [Fact]
    public async Task Bdat_TwoChunks_StoredExactly()
    {
        await using var server = await TestSmtpServer.StartAsync();
        await using var client = await server.ConnectAndHelloAsync();
        await BeginAsync(client);
        var first = "Subject: chunks\r\n\r\nline one\r"u8.ToArray();
        var second = "\n.\r\nQUIT\r\nline three\r\n"u8.ToArray();

        await client.SendAsync(Frame($"BDAT {first.Length}", first));
        Assert.Equal("250 2.0.0", (await client.ReadReplyAsync()).Status);
        await client.SendAsync(Frame($"BDAT {second.Length} LAST", second));
        var reply = await client.ReadReplyAsync();

        Assert.Equal("250 2.0.0", reply.Status);
        Assert.Contains("queued as ", reply.Lines[0], StringComparison.Ordinal);
        var text = server.Spool.Single().Text;
        Assert.EndsWith(
            "Subject: chunks\r\n\r\nline one\r\n.\r\nQUIT\r\nline three\r\n", text, StringComparison.Ordinal);
        await client.QuitAsync();
    }

    [Fact]
    public async Task Bdat_Pipelined_RepliesInOrder()
    {
        await using var server = await TestSmtpServer.StartAsync();
        await using var client = await server.ConnectAndHelloAsync();
        var body = "Subject: p\r\n\r\nx\r\n"u8.ToArray();

        await client.SendAsync(Concat(
            Encoding.ASCII.GetBytes("MAIL FROM:<a@sender.test>\r\nRCPT TO:<user@example.test>\r\n"),
            Frame("BDAT 5", body[..5]),
            Frame($"BDAT {body.Length - 5} LAST", body[5..]),
            "NOOP\r\n"u8.ToArray()));

        Assert.Equal("250 2.1.0", (await client.ReadReplyAsync()).Status);
        Assert.Equal("250 2.1.5", (await client.ReadReplyAsync()).Status);
        Assert.Equal("250 2.0.0", (await client.ReadReplyAsync()).Status);
        Assert.Equal("250 2.0.0", (await client.ReadReplyAsync()).Status);
        Assert.Equal("250 2.0.0", (await client.ReadReplyAsync()).Status);
        Assert.Single(server.Spool.Stored);
        await client.QuitAsync();
    }

    [Fact]
    public async Task Bdat_LastWithoutFinalLineEnd_CrLfAdded()
    {
        await using var server = await TestSmtpServer.StartAsync();
        await using var client = await server.ConnectAndHelloAsync();
        await BeginAsync(client);
        var body = "Subject: x\r\n\r\nno end"u8.ToArray();

        await client.SendAsync(Frame($"BDAT {body.Length} LAST", body));

        Assert.Equal("250 2.0.0", (await client.ReadReplyAsync()).Status);
        Assert.EndsWith("\r\n\r\nno end\r\n", server.Spool.Single().Text, StringComparison.Ordinal);
        await client.QuitAsync();
    }

    [Fact]
    public async Task Bdat_WithoutTransaction_ChunkSkippedNotRunAsCommands()
    {
        await using var server = await TestSmtpServer.StartAsync();
        await using var client = await server.ConnectAndHelloAsync();
        var smuggled = "MAIL FROM:<b@sender.test>\r\nRCPT TO:<user@example.test>\r\n"u8.ToArray();

        await client.SendAsync(Frame($"BDAT {smuggled.Length} LAST", smuggled));

        Assert.Equal("503 5.5.1", (await client.ReadReplyAsync()).Status);
        Assert.Equal("250 2.0.0", (await client.CommandAsync("NOOP")).Status);
        await client.QuitAsync();
        Assert.Empty(server.Spool.Stored);
    }

    [Fact]
    public async Task Bdat_NoValidRecipient_554AndChunkSkipped()
    {
        await using var server = await TestSmtpServer.StartAsync();
        await using var client = await server.ConnectAndHelloAsync();
        Assert.Equal("250 2.1.0", (await client.CommandAsync("MAIL FROM:<a@sender.test>")).Status);
        Assert.Equal("550 5.7.1", (await client.CommandAsync("RCPT TO:<x@elsewhere.test>")).Status);

        await client.SendAsync(Frame("BDAT 6 LAST", "RSET\r\n"u8.ToArray()));

        Assert.Equal("554 5.5.1", (await client.ReadReplyAsync()).Status);
        await client.QuitAsync();
    }

    [Fact]
    public async Task Bdat_OverSizeLimit_552AtEachChunkNothingStored()
    {
        await using var server = await TestSmtpServer.StartAsync(o => o.MaxMessageBytes = 65_536);
        await using var client = await server.ConnectAndHelloAsync();
        await BeginAsync(client);
        var chunk = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat(new string('a', 998) + "\r\n", 40)));

        await client.SendAsync(Frame($"BDAT {chunk.Length}", chunk));
        Assert.Equal("250 2.0.0", (await client.ReadReplyAsync()).Status);
        await client.SendAsync(Frame($"BDAT {chunk.Length}", chunk));
        Assert.Equal("552 5.3.4", (await client.ReadReplyAsync()).Status);
        await client.SendAsync(Frame($"BDAT {chunk.Length} LAST", chunk));
        Assert.Equal("552 5.3.4", (await client.ReadReplyAsync()).Status);

        Assert.Empty(server.Spool.Stored);
        Assert.Equal("250 2.1.0", (await client.CommandAsync("MAIL FROM:<a@sender.test>")).Status);
        await client.QuitAsync();
    }

    [Fact]
    public async Task Bdat_ChunkLargerThanAnyMessage_552AndClose()
    {
        await using var server = await TestSmtpServer.StartAsync(o => o.MaxMessageBytes = 65_536);
        await using var client = await server.ConnectAndHelloAsync();
        await BeginAsync(client);

        Assert.Equal("552 5.3.4", (await client.CommandAsync("BDAT 99999999999")).Status);
        Assert.True(await client.WaitForCloseAsync());
    }

    [Theory]
    [InlineData("BDAT")]
    [InlineData("BDAT x")]
    [InlineData("BDAT -1")]
    [InlineData("BDAT 10 FIRST")]
    [InlineData("BDAT 10 LAST more")]
    public async Task Bdat_SizeUnreadable_501AndClose(string command)
    {
        await using var server = await TestSmtpServer.StartAsync();
        await using var client = await server.ConnectAndHelloAsync();
        await BeginAsync(client);

        Assert.Equal("501 5.5.4", (await client.CommandAsync(command)).Status);
        Assert.True(await client.WaitForCloseAsync());
    }

    [Fact]
    public async Task Bdat_BareLineFeedInChunk_Refused()
    {
        await using var server = await TestSmtpServer.StartAsync();
        await using var client = await server.ConnectAndHelloAsync();
        await BeginAsync(client);
        var body = "Subject: x\r\n\r\nfirst\n.\nsecond\r\n"u8.ToArray();

        await client.SendAsync(Frame($"BDAT {body.Length} LAST", body));

        Assert.Equal("550 5.6.0", (await client.ReadReplyAsync()).Status);
        Assert.Empty(server.Spool.Stored);
        await client.QuitAsync();
    }

    [Fact]
    public async Task Data_AfterBdat_503()
    {
        await using var server = await TestSmtpServer.StartAsync();
        await using var client = await server.ConnectAndHelloAsync();
        await BeginAsync(client);
        await client.SendAsync(Frame("BDAT 3", "a\r\n"u8.ToArray()));
        Assert.Equal("250 2.0.0", (await client.ReadReplyAsync()).Status);

        Assert.Equal("503 5.5.1", (await client.CommandAsync("DATA")).Status);
        Assert.Equal("250 2.0.0", (await client.CommandAsync("RSET")).Status);
        await client.QuitAsync();
    }

    [Fact]
    public async Task Bdat_ZeroLast_EndsTheMessage()
    {
        await using var server = await TestSmtpServer.StartAsync();
        await using var client = await server.ConnectAndHelloAsync();
        await BeginAsync(client);
        var body = "Subject: z\r\n\r\nbody\r\n"u8.ToArray();
        await client.SendAsync(Frame($"BDAT {body.Length}", body));
        Assert.Equal("250 2.0.0", (await client.ReadReplyAsync()).Status);

        Assert.Equal("250 2.0.0", (await client.CommandAsync("BDAT 0 LAST")).Status);
        Assert.EndsWith("Subject: z\r\n\r\nbody\r\n", server.Spool.Single().Text, StringComparison.Ordinal);
        await client.QuitAsync();
    }

    private static async Task BeginAsync(RawSmtpClient client)
    {
        Assert.Equal("250 2.1.0", (await client.CommandAsync("MAIL FROM:<a@sender.test>")).Status);
        Assert.Equal("250 2.1.5", (await client.CommandAsync("RCPT TO:<user@example.test>")).Status);
    }

    private static byte[] Frame(string command, byte[] chunk) =>
        Concat(Encoding.ASCII.GetBytes(command + "\r\n"), chunk);

    private static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();
}
