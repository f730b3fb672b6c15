using Gateway.MtaEdge.Smtp;
using Gateway.MtaEdge.Tests.Smtp.Support;
using Xunit;

namespace Gateway.MtaEdge.Tests.Smtp;

/// <summary>
/// The Prometheus metrics move with what happens. They are process-wide and other tests run in
/// parallel, so each check is "at least this much more", never an exact value.
/// </summary>
public sealed class SmtpMetricsTests
{
    [Fact]
    public async Task Metrics_CountConnectionsMessagesAndBytes()
    {
        var connections = SmtpMetrics.Connections.WithLabels("accepted").Value;
        var accepted = SmtpMetrics.Messages.WithLabels("accepted", "ok").Value;
        var refused = SmtpMetrics.Messages.WithLabels("refused", "size").Value;
        var bytes = SmtpMetrics.ReceivedBytes.Value;

        await using var server = await TestSmtpServer.StartAsync(o => o.MaxMessageBytes = 65_536);
        await using var client = await server.ConnectAndHelloAsync();
        var small = await client.SendMessageAsync("Subject: m\r\n\r\nbody\r\n.\r\n"u8.ToArray());
        Assert.Equal("250 2.0.0", small.Status);
        var lines = string.Concat(Enumerable.Repeat(new string('b', 98) + "\r\n", 1000));
        var big = System.Text.Encoding.ASCII.GetBytes("Subject: big\r\n\r\n" + lines + ".\r\n");
        Assert.Equal("552 5.3.4", (await client.SendMessageAsync(big)).Status);
        await client.QuitAsync();

        Assert.True(SmtpMetrics.Connections.WithLabels("accepted").Value >= connections + 1);
        Assert.True(SmtpMetrics.Messages.WithLabels("accepted", "ok").Value >= accepted + 1);
        Assert.True(SmtpMetrics.Messages.WithLabels("refused", "size").Value >= refused + 1);
        Assert.True(SmtpMetrics.ReceivedBytes.Value >= bytes + 100_000);
    }

    [Fact]
    public async Task Metrics_EarlyTalkerShuttingDownAndCommandsCounted()
    {
        var early = SmtpMetrics.Connections.WithLabels("early-talker").Value;
        var shutting = SmtpMetrics.Connections.WithLabels("shutting-down").Value;
        var noops = SmtpMetrics.Commands.WithLabels("NOOP").Value;
        var unknown = SmtpMetrics.Commands.WithLabels("unknown").Value;

        var server = await TestSmtpServer.StartAsync(o => o.GreetingDelay = TimeSpan.FromSeconds(2));
        await using (var eager = await server.ConnectAsync())
        {
            await eager.SendLineAsync("EHLO eager.test");
            Assert.Equal("554 5.5.1", (await eager.ReadReplyAsync()).Status);
        }

        await using (var client = await server.ConnectAndHelloAsync())
        {
            Assert.Equal("250 2.0.0", (await client.CommandAsync("noop")).Status);
            Assert.Equal("500 5.5.2", (await client.CommandAsync("XYZZY")).Status);

            // A message in progress keeps the listener up while the server drains.
            await client.BeginMessageAsync();
            await client.SendAsync("Subject: slow\r\n\r\n");
            var stopping = server.DisposeAsync().AsTask();
            await Eventually.TrueAsync(() => server.Logger.Names.Contains("SmtpStopping"), "the stop to begin");
            await using (var late = await server.ConnectAsync())
            {
                Assert.Equal("421 4.3.2", (await late.ReadReplyAsync()).Status);
            }

            await client.SendAsync("done\r\n.\r\n");
            Assert.Equal("250 2.0.0", (await client.ReadReplyAsync()).Status);
            await stopping;
        }

        Assert.True(SmtpMetrics.Connections.WithLabels("early-talker").Value >= early + 1);
        Assert.True(SmtpMetrics.Connections.WithLabels("shutting-down").Value >= shutting + 1);
        Assert.True(SmtpMetrics.Commands.WithLabels("NOOP").Value >= noops + 1);
        Assert.True(SmtpMetrics.Commands.WithLabels("unknown").Value >= unknown + 1);
    }
}
