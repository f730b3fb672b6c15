using Gateway.MtaEdge.Tests.Smtp.Support;
using Xunit;

namespace Gateway.MtaEdge.Tests.Smtp;

/// <summary>One structured line per session end; client text escaped; no addresses or bodies logged.</summary>
public sealed class SmtpLoggingTests
{
    [Fact]
    public async Task SessionEnd_OneLineWithEscapedHeloAndCounts()
    {
        await using var server = await TestSmtpServer.StartAsync();
        await using (var client = await server.ConnectAndHelloAsync("ev\\il{x}"))
        {
            var first = await client.SendMessageAsync(
                "Subject: secret-subject\r\n\r\nsecret-body\r\n.\r\n"u8.ToArray());
            Assert.Equal("250 2.0.0", first.Status);
            server.Filter.Respond = _ => StubFingerprintFilter.Verdict(V1.Action.Reject, 550, "5.7.1", "spam");
            var second = await client.SendMessageAsync("Subject: x\r\n\r\ny\r\n.\r\n"u8.ToArray());
            Assert.Equal("550 5.7.1", second.Status);
            await client.QuitAsync();
        }

        await server.Sender.NextReleaseAsync();
        await Eventually.TrueAsync(
            () => server.Logger.Events.Any(e => e.EventName == "SmtpSessionEnded"), "the session-end log line");

        var ended = Assert.Single(server.Logger.Events, e => e.EventName == "SmtpSessionEnded");
        Assert.Contains("from 127.0.0.1", ended.Message, StringComparison.Ordinal);
        Assert.Contains(@"helo=ev\\il{x}", ended.Message, StringComparison.Ordinal);
        Assert.Contains("1 accepted, 1 refused", ended.Message, StringComparison.Ordinal);
        Assert.Contains(server.Logger.Events, e => e.EventName == "SmtpMessageQueued");
        Assert.Contains(server.Logger.Events, e => e.EventName == "SmtpMessageRefused");
        Assert.DoesNotContain(server.Logger.Events, e => e.Message.Contains("secret", StringComparison.Ordinal)
            || e.Message.Contains("a@sender.test", StringComparison.Ordinal)
            || e.Message.Contains("user@example.test", StringComparison.Ordinal));
    }
}
