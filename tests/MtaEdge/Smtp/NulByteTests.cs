using System.Text;
using Gateway.MtaEdge.Tests.Smtp.Support;
using Xunit;

namespace Gateway.MtaEdge.Tests.Smtp;

/// <summary>
/// The whole kind behind nul-in-body.case. The edge's choice: a NUL in the data is kept, and so is
/// every byte after it; the stored copy ends with exactly the bytes sent (after unstuffing).
/// </summary>
public sealed class NulByteTests
{
    public static IEnumerable<object[]> Placements() => new[]
    {
        new object[] { "in the body", "Subject: nul\r\n\r\na\0b\r\n" },
        new object[] { "first byte of the body", "Subject: nul\r\n\r\n\0tail\r\n" },
        new object[] { "alone on a line", "Subject: nul\r\n\r\nbefore\r\n\0\r\nafter\r\n" },
        new object[] { "before the final CRLF", "Subject: nul\r\n\r\nbody\0\r\n" },
        new object[] { "in a header value", "Subject: n\0l\r\nX-After: kept\r\n\r\nbody\r\n" },
        new object[] { "in a header name", "X-N\0l: v\r\nSubject: s\r\n\r\nbody\r\n" },
        new object[] { "first byte of the message", "\0Subject: s\r\n\r\nbody\r\n" },
        new object[] { "many in a row", "Subject: s\r\n\r\n" + new string('\0', 5000) + "end\r\n" },
        new object[] { "after a stuffed dot", "Subject: s\r\n\r\n.\0\r\nend\r\n" },
    };

    [Theory]
    [MemberData(nameof(Placements))]
    public async Task Data_NulByte_KeptWithEveryByteAfterIt(string placement, string message)
    {
        _ = placement;
        await using var server = await TestSmtpServer.StartAsync();
        await using var client = await server.ConnectAndHelloAsync();
        var sent = Encoding.Latin1.GetBytes(message);
        var stuffed = Encoding.Latin1.GetBytes(message.Replace("\r\n.", "\r\n..", StringComparison.Ordinal));

        var reply = await client.SendMessageAsync(stuffed.Concat(".\r\n"u8.ToArray()).ToArray());

        Assert.Equal("250 2.0.0", reply.Status);
        await client.QuitAsync();
        var stored = server.Spool.Single();
        Assert.True(stored.Content.AsSpan().EndsWith(sent), "the stored copy must end with every byte sent");
        Assert.Equal(stored.Content.Length, stored.Envelope.Size);
        Assert.Equal(stored.Content, Assert.Single(server.Filter.Scans).Message.ToByteArray());
    }
}
