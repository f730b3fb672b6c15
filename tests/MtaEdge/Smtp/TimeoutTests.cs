using Gateway.MtaEdge.Tests.Smtp.Support;
using Xunit;

namespace Gateway.MtaEdge.Tests.Smtp;

/// <summary>Silent clients (RFC 5321 4.5.3.2): 421 4.4.2 and close, nothing half-received kept.</summary>
public sealed class TimeoutTests
{
    [Fact]
    public async Task Idle_PastCommandTimeout_421AndClose()
    {
        await using var server = await TestSmtpServer.StartAsync(o => o.CommandTimeout = TimeSpan.FromMilliseconds(300));
        await using var client = await server.ConnectAndHelloAsync();

        Assert.Equal("421 4.4.2", (await client.ReadReplyAsync()).Status);
        Assert.True(await client.WaitForCloseAsync());
        await server.Sender.NextReleaseAsync();
    }

    [Fact]
    public async Task Data_StalledPastBlockTimeout_421AndNothingStored()
    {
        await using var server = await TestSmtpServer.StartAsync(o => o.DataBlockTimeout = TimeSpan.FromMilliseconds(300));
        await using var client = await server.ConnectAndHelloAsync();
        await client.BeginMessageAsync();
        await client.SendAsync("Subject: stalled\r\n\r\nhalf");

        Assert.Equal("421 4.4.2", (await client.ReadReplyAsync()).Status);
        Assert.True(await client.WaitForCloseAsync());
        Assert.Empty(server.Spool.Stored);
    }

    [Fact]
    public async Task Session_PastSessionTimeout_421AndClose()
    {
        await using var server = await TestSmtpServer.StartAsync(o => o.SessionTimeout = TimeSpan.FromMilliseconds(300));
        await using var client = await server.ConnectAndHelloAsync();

        Assert.Equal("421 4.4.2", (await client.ReadReplyAsync()).Status);
        Assert.True(await client.WaitForCloseAsync());
    }
}
