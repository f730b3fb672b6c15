using System.Text;
using Gateway.MtaEdge.Tests.Smtp.Support;
using Xunit;

namespace Gateway.MtaEdge.Tests.Smtp;

/// <summary>
/// The whole kind behind header-flood.case and the size limit: a header section flooded by one
/// huge line or by many folds, a long body line, a message over SIZE. Each is refused with
/// 552 5.3.4 after the end of data (or accepted when within the limits), and the session goes on.
/// </summary>
public sealed class MessageLimitTests
{
    public static IEnumerable<object[]> HeaderFloods() => new[]
    {
        // Many folded continuation lines of one field.
        new object[] { "50,000 folds (under 256 KiB)", Folded(50_000), "250 2.0.0" },
        new object[] { "70,000 folds (over 256 KiB)", Folded(70_000), "552 5.3.4" },
        new object[] { "250,000 folds", Folded(250_000), "552 5.3.4" },

        // One huge unfolded line: over the 64 KiB text line limit.
        new object[] { "one 70 KB header line", "X-Flood: " + new string('a', 70_000) + "\r\n", "552 5.3.4" },
        new object[] { "one 1 MB header line", "X-Flood: " + new string('a', 1_000_000) + "\r\n", "552 5.3.4" },

        // Many separate fields.
        new object[] { "30,000 short fields", string.Concat(Enumerable.Repeat("X-A: b\r\n", 30_000)), "250 2.0.0" },
        new object[]
        {
            "40,000 fields of 9 octets", string.Concat(Enumerable.Repeat("X-Ab: c\r\n", 40_000)), "552 5.3.4",
        },

        // Long but legal lines, folded or not.
        new object[] { "60 KB header line", "X-Long: " + new string('a', 60_000) + "\r\n", "250 2.0.0" },
    };

    [Theory]
    [MemberData(nameof(HeaderFloods))]
    public async Task Data_HeaderFlood_RefusedOrAcceptedWithinLimits(string kind, string header, string expected)
    {
        _ = kind;
        await using var server = await TestSmtpServer.StartAsync();
        await using var client = await server.ConnectAndHelloAsync();

        var message = $"Subject: flood\r\n{header}\r\nbody\r\n.\r\n";
        var reply = await client.SendMessageAsync(Encoding.ASCII.GetBytes(message));

        Assert.Equal(expected, reply.Status);
        Assert.Equal("250 2.1.0", (await client.CommandAsync("MAIL FROM:<a@sender.test>")).Status);
        await client.QuitAsync();
        Assert.Equal(expected.StartsWith('2') ? 1 : 0, server.Spool.Stored.Count);
    }

    [Theory]
    [InlineData(2048, 2000, "250 2.0.0")]
    [InlineData(2048, 2100, "552 5.3.4")]
    public async Task Data_HeaderSizeAroundConfiguredLimit(int limit, int headerBytes, string expected)
    {
        await using var server = await TestSmtpServer.StartAsync(o => o.MaxHeaderBytes = limit);
        await using var client = await server.ConnectAndHelloAsync();

        var header = "X-Pad: " + new string('p', headerBytes - 9) + "\r\n";
        var reply = await client.SendMessageAsync(Encoding.ASCII.GetBytes($"{header}\r\nbody\r\n.\r\n"));

        Assert.Equal(expected, reply.Status);
        await client.QuitAsync();
    }

    [Theory]
    [InlineData(65_536, 65_000, "250 2.0.0")]
    [InlineData(65_536, 65_536, "250 2.0.0")]
    [InlineData(65_536, 65_537, "552 5.3.4")]
    [InlineData(65_536, 5_000_000, "552 5.3.4")]
    public async Task Data_MessageSizeAroundLimit(int limit, int size, string expected)
    {
        await using var server = await TestSmtpServer.StartAsync(o => o.MaxMessageBytes = limit);
        await using var client = await server.ConnectAndHelloAsync();

        var message = new StringBuilder("Subject: size\r\n\r\n");
        while (message.Length + 100 <= size)
        {
            message.Append(new string('s', 98)).Append("\r\n");
        }

        message.Append(new string('t', size - message.Length - 2)).Append("\r\n");
        var reply = await client.SendMessageAsync(Encoding.ASCII.GetBytes(message + ".\r\n"));

        Assert.Equal(expected, reply.Status);
        Assert.Equal("250 2.0.0", (await client.CommandAsync("NOOP")).Status);
        await client.QuitAsync();
        if (expected.StartsWith('2'))
        {
            Assert.EndsWith(message.ToString(), server.Spool.Single().Text, StringComparison.Ordinal);
        }
        else
        {
            Assert.Empty(server.Spool.Stored);
        }
    }

    [Theory]
    [InlineData(65_536, "250 2.0.0")]
    [InlineData(65_537, "552 5.3.4")]
    [InlineData(300_000, "552 5.3.4")]
    public async Task Data_BodyLineAroundLineLimit(int lineWithCrLf, string expected)
    {
        await using var server = await TestSmtpServer.StartAsync();
        await using var client = await server.ConnectAndHelloAsync();

        var line = new string('b', lineWithCrLf - 2);
        var reply = await client.SendMessageAsync(Encoding.ASCII.GetBytes($"Subject: line\r\n\r\n{line}\r\n.\r\n"));

        Assert.Equal(expected, reply.Status);
        await client.QuitAsync();
    }

    private static string Folded(int folds)
    {
        var builder = new StringBuilder("X-Flood: a\r\n", folds * 4 + 16);
        for (var i = 0; i < folds; i++)
        {
            builder.Append(" b\r\n");
        }

        return builder.ToString();
    }
}
