using Gateway.MtaEdge.Tests.Smtp.Support;
using Xunit;

namespace Gateway.MtaEdge.Tests.Smtp;

/// <summary>
/// Stopping the server: no new connections, idle sessions get 421 4.3.2, a message in progress
/// may finish within the grace, and the lease is released in every case.
/// </summary>
public sealed class ShutdownTests
{
    [Fact]
    public async Task Stop_IdleSession_421AndClosed()
    {
        var server = await TestSmtpServer.StartAsync();
        await using var client = await server.ConnectAndHelloAsync();

        await server.DisposeAsync();

        Assert.Equal("421 4.3.2", (await client.ReadReplyAsync()).Status);
        Assert.True(await client.WaitForCloseAsync());
        Assert.Equal("lease-1", (await server.Sender.NextReleaseAsync()).LeaseId);
        Assert.Equal(0, server.Server.ActiveSessions);
    }

    [Fact]
    public async Task Stop_MessageInProgress_FinishesWithinGraceThen421()
    {
        var server = await TestSmtpServer.StartAsync(o => o.ShutdownGrace = TimeSpan.FromSeconds(30));
        await using var client = await server.ConnectAndHelloAsync();
        await client.BeginMessageAsync();
        await client.SendAsync("Subject: late\r\n\r\nfirst half\r\n");

        var stopping = server.DisposeAsync().AsTask();
        await client.SendAsync("second half\r\n.\r\n");

        Assert.Equal("250 2.0.0", (await client.ReadReplyAsync()).Status);
        Assert.Equal("421 4.3.2", (await client.ReadReplyAsync()).Status);
        Assert.True(await client.WaitForCloseAsync());
        await stopping;
        Assert.Single(server.Spool.Stored);
    }

    [Fact]
    public async Task Stop_MessageStalledPastGrace_AbortedAndNothingStored()
    {
        var server = await TestSmtpServer.StartAsync(o => o.ShutdownGrace = TimeSpan.FromMilliseconds(200));
        await using var client = await server.ConnectAndHelloAsync();
        await client.BeginMessageAsync();
        await client.SendAsync("Subject: stalled\r\n\r\nno end\r\n");

        await server.DisposeAsync();

        Assert.Equal("421 4.3.2", (await client.ReadReplyAsync()).Status);
        Assert.True(await client.WaitForCloseAsync());
        Assert.Empty(server.Spool.Stored);
        Assert.Equal("lease-1", (await server.Sender.NextReleaseAsync()).LeaseId);
    }

    [Fact]
    public async Task Stop_AfterStop_ConnectionsRefused()
    {
        var server = await TestSmtpServer.StartAsync();
        var endpoint = server.EndPoint;
        await server.DisposeAsync();

        await Assert.ThrowsAnyAsync<System.Net.Sockets.SocketException>(() => RawSmtpClient.ConnectAsync(endpoint));
    }

    [Fact]
    public async Task Stop_NewConnectionWhileDraining_421Then()
    {
        var server = await TestSmtpServer.StartAsync(o => o.ShutdownGrace = TimeSpan.FromSeconds(30));
        await using var busy = await server.ConnectAndHelloAsync();
        await busy.BeginMessageAsync();
        await busy.SendAsync("Subject: slow\r\n\r\nstill sending\r\n");
        var stopping = server.DisposeAsync().AsTask();
        await Eventually.TrueAsync(() => server.Logger.Names.Contains("SmtpStopping"), "the stop to begin");

        await using (var late = await server.ConnectAsync())
        {
            Assert.Equal("421 4.3.2", (await late.ReadReplyAsync()).Status);
            Assert.True(await late.WaitForCloseAsync());
        }

        await busy.SendAsync(".\r\n");
        Assert.Equal("250 2.0.0", (await busy.ReadReplyAsync()).Status);
        Assert.Equal("421 4.3.2", (await busy.ReadReplyAsync()).Status);
        await stopping;
        Assert.Single(server.Spool.Stored);
    }
}
