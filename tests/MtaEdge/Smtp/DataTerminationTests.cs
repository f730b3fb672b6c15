using System.Text;
using Gateway.MtaEdge.Tests.Smtp.Support;
using Xunit;

namespace Gateway.MtaEdge.Tests.Smtp;

/// <summary>
/// The whole kind behind the smuggle-*.case files: only CRLF "." CRLF ends DATA, and nothing hidden
/// after a look-alike terminator ever runs as a command (RFC 5321 2.3.8, 4.1.1.4).
/// </summary>
public sealed class DataTerminationTests
{
    private static readonly string[] LineEnds = { "\r", "\n", "\r\n" };

    public static IEnumerable<object[]> DotCombinations() =>
        from before in LineEnds from after in LineEnds select new object[] { Name(before), Name(after) };

    [Theory]
    [MemberData(nameof(DotCombinations))]
    public async Task Data_LineEndsAroundDot_OnlyCrLfDotCrLfEndsData(string before, string after)
    {
        await using var server = await TestSmtpServer.StartAsync();
        await using var client = await server.ConnectAndHelloAsync();
        await client.BeginMessageAsync();

        var smuggled = "MAIL FROM:<b@sender.test>\r\nRCPT TO:<user@example.test>\r\nDATA\r\n"
            + "Subject: two\r\n\r\nsecond\r\n.\r\n";
        await client.SendAsync($"Subject: one\r\n\r\nfirst{Value(before)}.{Value(after)}{smuggled}");

        if (before == "CRLF" && after == "CRLF")
        {
            // A real end of data: both messages are legitimate, pipelined after the first reply.
            Assert.Equal("250 2.0.0", (await client.ReadReplyAsync()).Status);
            Assert.Equal("250 2.1.0", (await client.ReadReplyAsync()).Status);
            Assert.Equal("250 2.1.5", (await client.ReadReplyAsync()).Status);
            Assert.Equal(354, (await client.ReadReplyAsync()).Code);
            Assert.Equal("250 2.0.0", (await client.ReadReplyAsync()).Status);
            await client.QuitAsync();
            Assert.Equal(2, server.Spool.Stored.Count);
            return;
        }

        // One message, ending at the real CRLF.CRLF, refused whole: one reply and no command ran.
        var reply = await client.ReadReplyAsync();
        Assert.Equal("550 5.6.0", reply.Status);
        await client.QuitAsync();
        Assert.Empty(server.Spool.Stored);
        Assert.Empty(server.Filter.Scans);
    }

    public static IEnumerable<object[]> BareLineEndPlacements() => new[]
    {
        new object[] { "bare LF ending a header", "Subject: x\n\r\nbody\r\n.\r\n" },
        new object[] { "bare CR ending a header", "Subject: x\r\r\nbody\r\n.\r\n" },
        new object[] { "bare LF in the body", "Subject: x\r\n\r\nbo\ndy\r\n.\r\n" },
        new object[] { "bare CR in the body", "Subject: x\r\n\r\nbo\rdy\r\n.\r\n" },
        new object[] { "LF LF before the end", "Subject: x\r\n\r\nbody\n\n.\r\nmore\r\n.\r\n" },
        new object[] { "CR CR LF", "Subject: x\r\n\r\nbody\r\r\n.\r\n" },
        new object[] { "dot CR CR LF", "Subject: x\r\n\r\nbody\r\n.\r\r\n.\r\n" },
        new object[] { "bare LF as the first byte", "\nSubject: x\r\n\r\nbody\r\n.\r\n" },
        new object[] { "dot LF on the first line", ".\nSubject: x\r\n\r\nbody\r\n.\r\n" },
        new object[] { "only LF line ends", "Subject: x\n\nbody\n.\n\r\n.\r\n" },
    };

    [Theory]
    [MemberData(nameof(BareLineEndPlacements))]
    public async Task Data_BareCrOrLfAnywhere_RefusedAfterRealEnd(string placement, string data)
    {
        _ = placement;
        await using var server = await TestSmtpServer.StartAsync();
        await using var client = await server.ConnectAndHelloAsync();

        var reply = await client.SendMessageAsync(Encoding.ASCII.GetBytes(data));

        Assert.Equal("550 5.6.0", reply.Status);
        await client.QuitAsync();
        Assert.Empty(server.Spool.Stored);
    }

    [Fact]
    public async Task Data_LfDotLfThenCommandsSentOneByteAtATime_NeverRunAsCommands()
    {
        await using var server = await TestSmtpServer.StartAsync();
        await using var client = await server.ConnectAndHelloAsync();
        await client.BeginMessageAsync();

        var bytes = Encoding.ASCII.GetBytes(
            "Subject: one\r\n\r\nfirst\n.\nRSET\r\nMAIL FROM:<b@sender.test>\r\nRCPT TO:<user@example.test>\r\n"
            + "DATA\r\nsecond\r\n.\r\n");
        foreach (var b in bytes)
        {
            await client.SendAsync(new[] { b });
        }

        Assert.Equal("550 5.6.0", (await client.ReadReplyAsync()).Status);
        await client.QuitAsync();
        Assert.Empty(server.Spool.Stored);
    }

    [Fact]
    public async Task Data_EmptyMessage_EndsAtFirstDotLine()
    {
        await using var server = await TestSmtpServer.StartAsync();
        await using var client = await server.ConnectAndHelloAsync();

        var reply = await client.SendMessageAsync(".\r\n"u8.ToArray());

        Assert.Equal("250 2.0.0", reply.Status);
        await client.QuitAsync();
        Assert.DoesNotContain("\r\n.\r\n", server.Spool.Single().Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Data_DotStuffedLines_AreUnstuffed()
    {
        await using var server = await TestSmtpServer.StartAsync();
        await using var client = await server.ConnectAndHelloAsync();

        var reply = await client.SendMessageAsync(
            "Subject: dots\r\n\r\n..leading dot\r\n...\r\n.. \r\nmiddle . dot\r\n.\r\n"u8.ToArray());

        Assert.Equal("250 2.0.0", reply.Status);
        await client.QuitAsync();
        Assert.EndsWith(
            "Subject: dots\r\n\r\n.leading dot\r\n..\r\n. \r\nmiddle . dot\r\n", server.Spool.Single().Text);
    }

    private static string Name(string lineEnd) => lineEnd switch { "\r" => "CR", "\n" => "LF", _ => "CRLF" };

    private static string Value(string name) => name switch { "CR" => "\r", "LF" => "\n", _ => "\r\n" };
}
