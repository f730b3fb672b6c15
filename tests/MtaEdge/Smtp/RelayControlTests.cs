using Gateway.MtaEdge.Tests.Smtp.Support;
using Xunit;

namespace Gateway.MtaEdge.Tests.Smtp;

/// <summary>
/// No open relay, ever: every addressing trick either names a local mailbox of example.test
/// (250, stored as that mailbox) or is refused.
/// </summary>
public sealed class RelayControlTests
{
    public static IEnumerable<object[]> Tricks() => new[]
    {
        // Local mailboxes, however they are written.
        new object[] { "<user@example.test>", "250 2.1.5", "user@example.test" },
        new object[] { "<USER@EXAMPLE.TEST>", "250 2.1.5", "USER@example.test" },
        new object[] { "<user@Example.Test.>", "250 2.1.5", "user@example.test" },
        new object[] { "<\"user\"@example.test>", "250 2.1.5", "user@example.test" },
        new object[] { "<\"user name\"@example.test>", "250 2.1.5", "\"user name\"@example.test" },
        new object[] { "<user+tag@example.test>", "250 2.1.5", "user+tag@example.test" },
        new object[] { "<@other.test:user@example.test>", "250 2.1.5", "user@example.test" },
        new object[] { "<@other.test,@third.test:user@example.test>", "250 2.1.5", "user@example.test" },
        new object[] { "<Postmaster>", "250 2.1.5", "postmaster@example.test" },
        new object[] { "<postmaster@example.test>", "250 2.1.5", "postmaster@example.test" },

        // Other domains, directly or by a trick.
        new object[] { "<user@other.test>", "550 5.7.1", null! },
        new object[] { "<user@other.test.>", "550 5.7.1", null! },
        new object[] { "<user@sub.example.test>", "550 5.7.1", null! },
        new object[] { "<user@example.test.other.test>", "550 5.7.1", null! },
        new object[] { "<user@exampl.test>", "550 5.7.1", null! },
        new object[] { "<user%other.test@example.test>", "550 5.7.1", null! },
        new object[] { "<user%other.test%example.test@example.test>", "550 5.7.1", null! },
        new object[] { "<other.test!user@example.test>", "550 5.7.1", null! },
        new object[] { "<\"user@other.test\"@example.test>", "550 5.7.1", null! },
        new object[] { "<\"user\\@other.test\"@example.test>", "550 5.7.1", null! },
        new object[] { "<\"user%other.test\"@example.test>", "550 5.7.1", null! },
        new object[] { "<\"other.test!user\"@example.test>", "550 5.7.1", null! },
        new object[] { "<@example.test:user@other.test>", "550 5.7.1", null! },
        new object[] { "<user@[127.0.0.1]>", "550 5.7.1", null! },
        new object[] { "<user@[192.0.2.1]>", "550 5.7.1", null! },
        new object[] { "<user@[IPv6:::1]>", "550 5.7.1", null! },
        new object[] { "<user@[example.test]>", "501 5.1.3", null! },
        new object[] { "<user@example.test@other.test>", "501 5.1.3", null! },
        new object[] { "<user@other.test@example.test>", "501 5.1.3", null! },
        new object[] { "<user@example.test..>", "501 5.1.3", null! },
        new object[] { "<user@example..test>", "501 5.1.3", null! },
        new object[] { "<user@example.test >", "501 5.1.3", null! },
        new object[] { "<user @example.test>", "501 5.1.3", null! },
        new object[] { "<<user@other.test>>", "501 5.1.3", null! },
        new object[] { "<user@other.test> <user@example.test>", "501 5.5.4", null! },
        new object[] { "<user@example.test>,<user@other.test>", "501 5.5.4", null! },

        // Names a mailbox store could read as a path.
        new object[] { "<\"../../etc\"@example.test>", "553 5.1.3", null! },
        new object[] { "<\"..\"@example.test>", "553 5.1.3", null! },
        new object[] { "<a/b@example.test>", "553 5.1.3", null! },
        new object[] { "<\"a\\\\b\"@example.test>", "553 5.1.3", null! },
    };

    [Theory]
    [MemberData(nameof(Tricks))]
    public async Task Rcpt_AddressingTrick_LocalMailboxOrRefused(string path, string expected, string? stored)
    {
        await using var server = await TestSmtpServer.StartAsync();
        await using var client = await server.ConnectAndHelloAsync();
        Assert.Equal("250 2.1.0", (await client.CommandAsync("MAIL FROM:<a@sender.test>")).Status);

        Assert.Equal(expected, (await client.CommandAsync("RCPT TO:" + path)).Status);

        var data = await client.CommandAsync("DATA");
        if (stored is null)
        {
            Assert.Equal("554 5.5.1", data.Status);
            await client.QuitAsync();
            Assert.Empty(server.Spool.Stored);
            return;
        }

        Assert.Equal(354, data.Code);
        await client.SendAsync("Subject: x\r\n\r\nbody\r\n.\r\n");
        Assert.Equal("250 2.0.0", (await client.ReadReplyAsync()).Status);
        await client.QuitAsync();
        Assert.Equal(stored, Assert.Single(server.Spool.Single().Envelope.Recipients).Address);
    }

    [Fact]
    public async Task Rcpt_FullwidthAtInLocalPart_Refused()
    {
        await using var server = await TestSmtpServer.StartAsync();
        await using var client = await server.ConnectAndHelloAsync();
        Assert.Equal("250 2.1.0", (await client.CommandAsync("MAIL FROM:<a@sender.test> SMTPUTF8")).Status);

        Assert.Equal("550 5.7.1", (await client.CommandAsync("RCPT TO:<user\uFF20other.test@example.test>")).Status);
        Assert.Equal("550 5.7.1", (await client.CommandAsync("RCPT TO:<user\uFF05other.test@example.test>")).Status);
        Assert.Equal("550 5.7.1", (await client.CommandAsync("RCPT TO:<user@ex\u0430mple.test>")).Status);
        await client.QuitAsync();
    }
}
