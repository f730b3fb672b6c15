using Gateway.MtaEdge.Tests.Smtp.Support;
using Xunit;

namespace Gateway.MtaEdge.Tests.Smtp;

/// <summary>Silent clients (RFC 5321 4.5.3.2): 421 4.4.2 and close, nothing half-received kept.</summary>
public sealed class TimeoutTests
{
    private static readonly TimeSpan Short = TimeSpan.FromMilliseconds(300);

    [Fact]
    public async Task Idle_PastCommandTimeout_421AndClose()
    {
        await using var server = await TestSmtpServer.StartAsync(o => o.CommandTimeout = Short);
        await using var client = await server.ConnectAndHelloAsync();

        Assert.Equal("421 4.4.2", (await client.ReadReplyAsync()).Status);
        Assert.True(await client.WaitForCloseAsync());
        await server.Sender.NextReleaseAsync();
    }

    [Fact]
    public async Task Data_StalledPastBlockTimeout_421AndNothingStored()
    {
        await using var server = await TestSmtpServer.StartAsync(o => o.DataBlockTimeout = Short);
        await using var client = await server.ConnectAndHelloAsync();
        await client.BeginMessageAsync();
        await client.SendAsync("Subject: stalled\r\n\r\nhalf");

        Assert.Equal("421 4.4.2", (await client.ReadReplyAsync()).Status);
        Assert.True(await client.WaitForCloseAsync());
        Assert.Empty(server.Spool.Stored);
    }

    [Fact]
    public async Task Client_NeverReadsReplies_SessionEndsAfterCommandTimeout()
    {
        await using var server = await TestSmtpServer.StartAsync(o =>
        {
            o.CommandTimeout = Short;
            o.MaxJunkCommands = 1_000_000;
        });
        await using var client = await server.ConnectAndHelloAsync();

        // Megabytes of replies the client never reads: the server's send blocks, then times out.
        var flood = System.Text.Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("NOOP\r\n", 2_000_000)));
        var sending = Task.Run(async () =>
        {
            try
            {
                await client.SendAsync(flood);
            }
            catch (Exception ex) when (ex is System.Net.Sockets.SocketException or IOException
                                           or OperationCanceledException)
            {
                // The server gave up on us, as it should.
            }
        });

        Assert.Equal("lease-1", (await server.Sender.NextReleaseAsync()).LeaseId);
        await Eventually.TrueAsync(() => server.Server.ActiveSessions == 0, "the session to end");
        await sending;
    }

    [Fact]
    public async Task Session_PastSessionTimeout_421AndClose()
    {
        await using var server = await TestSmtpServer.StartAsync(o => o.SessionTimeout = Short);
        await using var client = await server.ConnectAndHelloAsync();

        Assert.Equal("421 4.4.2", (await client.ReadReplyAsync()).Status);
        Assert.True(await client.WaitForCloseAsync());
    }
}
