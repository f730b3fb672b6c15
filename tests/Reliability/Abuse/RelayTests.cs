using Gateway.Reliability.Tests.Harness;

namespace Gateway.Reliability.Tests.Abuse;

/// <summary>
/// Issue 9, abuse: no relay by any trick, end to end. The gateway forwards to a next hop (smtp:// target, a capture
/// server) that would happily relay whatever it is given, so everything the gateway forwards is visible: every
/// routing trick is refused at RCPT with 5xx, and every recipient it forwards is a plain mailbox of its own domain.
/// </summary>
public sealed class RelayTests(ITestOutputHelper output)
{
    // Tricks that name, or could be turned by a later hop into, a mailbox of another domain.
    private static readonly string[] Tricks =
    [
        "<user@evil.test>",
        "<USER@EVIL.TEST>",
        "<user@evil.test.>",
        "<user@example.test.evil.test>",
        "<user@sub.example.test>",
        "<user%evil.test@example.test>",
        "<user%evil.test@EXAMPLE.TEST.>",
        "<evil.test!user@example.test>",
        "<\"user@evil.test\"@example.test>",
        "<\"user%evil.test\"@example.test>",
        "<\"user\\@evil.test\"@example.test>",
        "<@example.test:user@evil.test>",
        "<@example.test,@example.test:user@evil.test>",
        "<user@[127.0.0.1]>",
        "<user@[IPv6:::1]>",
        "<postmaster@[127.0.0.1]>",
        "<user@evil.test@example.test>",
        "<user@example.test@evil.test>",
        "<user@evil.test> <user@example.test>",
        "user@evil.test",
        "<user\uFF20evil.test@example.test> SMTPUTF8",
        "<user\uFF05evil.test@example.test> SMTPUTF8",
        "<user@evil\u3002test>",
        "<user@evil\u3002test> SMTPUTF8",
        "<user@evil\uFF0Etest> SMTPUTF8",
        "<user@\uFF45xample.test> SMTPUTF8",
        "<user@evil.test\0@example.test>",
    ];

    [Fact]
    public async Task RoutingTricks_EndToEnd_NothingIsForwardedOutsideTheLocalDomain()
    {
        var workDir = Settings.WorkDir("relay");
        await using var nextHop = new CaptureSmtpServer();
        await using var gateway = new GatewayProcess(workDir, new Dictionary<string, string>
        {
            ["Gateway__Delivery__Target"] = $"smtp://127.0.0.1:{nextHop.Port}",
        });
        await gateway.StartAsync();

        var accepted = new List<string>();
        foreach (var trick in Tricks)
        {
            await using var client = await SmtpLineClient.ConnectAsync(gateway.SmtpPort);
            Assert.Equal(220, (await client.ReadReplyAsync()).Code);
            Assert.Equal(250, (await client.CommandAsync("EHLO relay.test")).Code);
            var smtpUtf8 = trick.EndsWith(" SMTPUTF8", StringComparison.Ordinal);
            Assert.Equal(250, (await client.CommandAsync("MAIL FROM:<spammer@evil.test>" + (smtpUtf8 ? " SMTPUTF8"
                : ""))).Code);
            var rcpt = await client.CommandAsync("RCPT TO:" + (smtpUtf8 ? trick[..^9] : trick));
            Figures.Print(output, "relay", $"RCPT TO:{trick.Replace("\0", "\\0")} -> {rcpt.Text.Split('\n')[0]}");
            Assert.InRange(rcpt.Code, 500, 599);
            Assert.NotEqual("", rcpt.EnhancedCode);
            if (rcpt.Code == 250)
            {
                accepted.Add(trick);
            }
        }

        // Local addresses in odd spellings are fine: they must reach the next hop as plain local mailboxes.
        string[] local = ["<Ada@EXAMPLE.TEST>", "<ada@example.test.>", "<@evil.test:bob@example.test>", "<Postmaster>"];
        foreach (var address in local)
        {
            await using var client = await SmtpLineClient.ConnectAsync(gateway.SmtpPort);
            await client.ReadReplyAsync();
            await client.CommandAsync("EHLO relay.test");
            await client.CommandAsync("MAIL FROM:<someone@else.test>");
            var rcpt = await client.CommandAsync("RCPT TO:" + address);
            Figures.Print(output, "relay", $"RCPT TO:{address} -> {rcpt.Text.Split('\n')[0]}");
            Assert.Equal(250, rcpt.Code);
            Assert.Equal(354, (await client.CommandAsync("DATA")).Code);
            await client.SendAsync(SmtpLineClient.DataWireForm("Subject: local\r\n\r\nlocal\r\n"u8));
            Assert.Equal(250, (await client.ReadReplyAsync()).Code);
        }

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (nextHop.Messages < local.Length && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        var forwarded = nextHop.Recipients.ToList();
        Figures.Print(output, "relay", "forwarded to the next hop: " + string.Join(", ", forwarded));
        Assert.Equal(local.Length, forwarded.Count);
        Assert.All(forwarded, address =>
        {
            var at = address.LastIndexOf('@');
            Assert.True(at > 0, address);
            Assert.Equal("example.test", address[(at + 1)..]);
            Assert.False(address[..at].IndexOfAny(['%', '!', '@', ':', '"', ',']) >= 0, address);
        });
        await gateway.StopAsync();
        Directory.Delete(workDir, recursive: true);
    }
}
