using System.Text;
using Gateway.MtaEdge.Tests.Smtp.Support;
using Xunit;

namespace Gateway.MtaEdge.Tests.Smtp;

/// <summary>
/// Command lines: CRLF is the only line end (a bare CR or LF is part of a bad line, never a second
/// command), the 512-octet limit (RFC 5321 4.5.3.1.4) with the session going on, NUL, invalid UTF-8.
/// </summary>
public sealed class CommandLineTests
{
    public static IEnumerable<object[]> BareLineEndCommands() => new[]
    {
        new object[] { "NOOP\nNOOP\r\n" },
        new object[] { "NOOP\rNOOP\r\n" },
        new object[] { "\nNOOP\r\n" },
        new object[] { "NOOP\n\r\n" },
        new object[] { "NOOP\r\r\n" },
        new object[] { "RSET\n" + "QUIT\r\n" },
        new object[] { "MAIL FROM:<a@sender.test>\nRCPT TO:<user@example.test>\r\n" },
        new object[] { "\n\n\n\r\n" },
    };

    [Theory]
    [MemberData(nameof(BareLineEndCommands))]
    public async Task Command_BareCrOrLf_OneSyntaxErrorAndNothingRun(string sent)
    {
        await using var server = await TestSmtpServer.StartAsync();
        await using var client = await server.ConnectAndHelloAsync();

        await client.SendAsync(sent);

        Assert.Equal("500 5.5.2", (await client.ReadReplyAsync()).Status);

        // Nothing in the bad line ran: no transaction is open, and the next reply is to our NOOP.
        Assert.Equal("503 5.5.1", (await client.CommandAsync("RCPT TO:<user@example.test>")).Status);
        Assert.Equal("250 2.0.0", (await client.CommandAsync("NOOP")).Status);
        await client.QuitAsync();
    }

    // Lengths of the whole line including CRLF; the limit is 512.
    [Theory]
    [InlineData(6)]
    [InlineData(511)]
    [InlineData(512)]
    public async Task Command_UpToLimit_Accepted(int length)
    {
        await using var server = await TestSmtpServer.StartAsync();
        await using var client = await server.ConnectAndHelloAsync();

        var reply = await client.CommandAsync(NoopOfLength(length));

        Assert.Equal("250 2.0.0", reply.Status);
        await client.QuitAsync();
    }

    [Theory]
    [InlineData(513)]
    [InlineData(514)]
    [InlineData(1000)]
    [InlineData(4096)]
    [InlineData(16 * 1024 - 1)]
    [InlineData(16 * 1024)]
    [InlineData(16 * 1024 + 1)]
    [InlineData(1_000_000)]
    public async Task Command_OverLimit_LineTooLongAndSessionGoesOn(int length)
    {
        await using var server = await TestSmtpServer.StartAsync();
        await using var client = await server.ConnectAndHelloAsync();

        // The over-long line and a good command in one write: the good one must still run.
        await client.SendAsync(NoopOfLength(length) + "\r\nMAIL FROM:<a@sender.test>\r\n");

        Assert.Equal("500 5.5.2", (await client.ReadReplyAsync()).Status);
        Assert.Equal("250 2.1.0", (await client.ReadReplyAsync()).Status);
        await client.QuitAsync();
    }

    [Theory]
    [InlineData(600)]
    [InlineData(16 * 1024)]
    [InlineData(100_000)]
    public async Task Command_OverLimitWithCrAndLfInSeparateWrites_OneErrorThenNextCommand(int length)
    {
        await using var server = await TestSmtpServer.StartAsync();
        await using var client = await server.ConnectAndHelloAsync();

        await client.SendAsync(NoopOfLength(length) + "\r");
        await Task.Yield();
        await client.SendAsync("\nNOOP\r\n");

        Assert.Equal("500 5.5.2", (await client.ReadReplyAsync()).Status);
        Assert.Equal("250 2.0.0", (await client.ReadReplyAsync()).Status);
        await client.QuitAsync();
    }

    [Fact]
    public async Task Command_OverLimitWithBareLfInside_StillOneError()
    {
        await using var server = await TestSmtpServer.StartAsync();
        await using var client = await server.ConnectAndHelloAsync();

        await client.SendAsync("NOOP " + new string('x', 600) + "\nNOOP\n" + new string('y', 600) + "\r\nNOOP\r\n");

        Assert.Equal("500 5.5.2", (await client.ReadReplyAsync()).Status);
        Assert.Equal("250 2.0.0", (await client.ReadReplyAsync()).Status);
        await client.QuitAsync();
    }

    [Theory]
    [InlineData("NOOP\0\r\n", "500 5.5.2")]
    [InlineData("\0NOOP\r\n", "500 5.5.2")]
    [InlineData("EHLO cli\0ent\r\n", "501 5.5.4")]
    [InlineData("MAIL FROM:<a\0@sender.test>\r\n", "501 5.1.7")]
    [InlineData("MAIL FROM:<a@sender.test>\0\r\n", "501 5.5.4")]
    [InlineData("MAIL FROM:<a@sender.test> SIZE=1\0\r\n", "501 5.5.4")]
    public async Task Command_NulByte_RefusedCleanly(string sent, string expected)
    {
        await using var server = await TestSmtpServer.StartAsync();
        await using var client = await server.ConnectAndHelloAsync();

        await client.SendAsync(sent);

        Assert.Equal(expected, (await client.ReadReplyAsync()).Status);
        Assert.Equal("250 2.0.0", (await client.CommandAsync("NOOP")).Status);
        await client.QuitAsync();
    }

    [Fact]
    public async Task Command_InvalidUtf8_SyntaxError()
    {
        await using var server = await TestSmtpServer.StartAsync();
        await using var client = await server.ConnectAndHelloAsync();

        await client.SendAsync("NOOP "u8.ToArray().Concat(new byte[] { 0xC3, 0x28, 13, 10 }).ToArray());

        Assert.Equal("500 5.5.2", (await client.ReadReplyAsync()).Status);
        await client.QuitAsync();
    }

    [Theory]
    [InlineData("FOO", "500 5.5.2")]
    [InlineData("", "500 5.5.2")]
    [InlineData("EXPN list", "502 5.5.1")]
    [InlineData("STARTTLS", "502 5.5.1")]
    [InlineData("HELP", "214 2.0.0")]
    [InlineData("VRFY user", "252 2.5.0")]
    [InlineData("VRFY", "501 5.5.4")]
    [InlineData("noop anything", "250 2.0.0")]
    [InlineData("RSET", "250 2.0.0")]
    [InlineData("RSET now", "501 5.5.4")]
    [InlineData("EHLO", "501 5.5.4")]
    [InlineData("DATA", "503 5.5.1")]
    [InlineData("RCPT TO:<user@example.test>", "503 5.5.1")]
    public async Task Command_Reply_HasCodeAndEnhancedCode(string command, string expected)
    {
        await using var server = await TestSmtpServer.StartAsync();
        await using var client = await server.ConnectAndHelloAsync();

        Assert.Equal(expected, (await client.CommandAsync(command)).Status);
        await client.QuitAsync();
    }

    [Fact]
    public async Task Session_BeforeHello_MailIsBadSequence()
    {
        await using var server = await TestSmtpServer.StartAsync();
        await using var client = await server.ConnectAsync();
        Assert.Equal(220, (await client.ReadReplyAsync()).Code);

        Assert.Equal("503 5.5.1", (await client.CommandAsync("MAIL FROM:<a@sender.test>")).Status);
        Assert.Equal("250 2.0.0", (await client.CommandAsync("NOOP")).Status);
        Assert.Equal(250, (await client.CommandAsync("HELO client.test")).Code);
        Assert.Equal("250 2.1.0", (await client.CommandAsync("MAIL FROM:<a@sender.test>")).Status);
        Assert.Equal("503 5.5.1", (await client.CommandAsync("MAIL FROM:<a@sender.test>")).Status);
        await client.QuitAsync();
    }

    [Fact]
    public async Task Ehlo_Advertises_TheExtensions()
    {
        await using var server = await TestSmtpServer.StartAsync(o => o.MaxMessageBytes = 1_000_000);
        await using var client = await server.ConnectAsync();
        var greeting = await client.ReadReplyAsync();
        Assert.Equal($"{TestSmtpServer.Hostname} ESMTP", greeting.Lines[0]);

        var ehlo = await client.CommandAsync("EHLO client.test");

        Assert.Equal(250, ehlo.Code);
        Assert.Equal(
            new[]
            {
                TestSmtpServer.Hostname, "PIPELINING", "SIZE 1000000", "8BITMIME", "ENHANCEDSTATUSCODES", "SMTPUTF8",
                "CHUNKING", "DSN",
            },
            ehlo.Lines);
        await client.QuitAsync();
    }

    [Fact]
    public async Task Session_TooManyErrors_421AndClose()
    {
        await using var server = await TestSmtpServer.StartAsync(o => o.MaxErrors = 10);
        await using var client = await server.ConnectAndHelloAsync();

        for (var i = 0; i < 9; i++)
        {
            Assert.Equal("500 5.5.2", (await client.CommandAsync("BOGUS")).Status);
        }

        Assert.Equal("500 5.5.2", (await client.CommandAsync("BOGUS")).Status);
        Assert.Equal("421 4.7.0", (await client.ReadReplyAsync()).Status);
        Assert.True(await client.WaitForCloseAsync());
    }

    [Fact]
    public async Task Session_Quit_221AndClose()
    {
        await using var server = await TestSmtpServer.StartAsync();
        await using var client = await server.ConnectAndHelloAsync();

        await client.QuitAsync();
    }

    private static string NoopOfLength(int lengthWithCrLf) =>
        lengthWithCrLf <= 6 ? "NOOP" : "NOOP " + new string('x', lengthWithCrLf - 2 - 5);
}
