using Gateway.MtaEdge.Tests.Smtp.Support;
using Gateway.V1;
using Xunit;

namespace Gateway.MtaEdge.Tests.Smtp;

/// <summary>
/// The connect check with sender intelligence: a refusal is the greeting, then the server closes;
/// the lease is released whenever a session ends; the session limit answers 421 4.3.2.
/// </summary>
public sealed class ConnectCheckTests
{
    [Fact]
    public async Task Connect_Accepted_GreetingAndLeaseReleasedAtQuit()
    {
        await using var server = await TestSmtpServer.StartAsync();
        await using var client = await server.ConnectAndHelloAsync();
        await client.QuitAsync();

        var release = await server.Sender.NextReleaseAsync();
        var check = Assert.Single(server.Sender.Checks);
        Assert.Equal("lease-1", release.LeaseId);
        Assert.Equal(check.SessionId, release.SessionId);
        Assert.Equal("127.0.0.1", check.ClientIp);
        Assert.Equal("127.0.0.1", release.ClientIp);
        Assert.NotEqual(0, check.ClientPort);
        Assert.Equal(server.EndPoint.ToString(), check.LocalEndpoint);
    }

    [Theory]
    [InlineData(V1.Action.Reject, 554, "5.7.1", "Listed at a blocklist", "554 5.7.1 Listed at a blocklist")]
    [InlineData(V1.Action.Reject, 550, "5.7.0", "Go away", "550 5.7.0 Go away")]
    [InlineData(V1.Action.Reject, 0, "", "", "554 5.7.1 Connection refused")]
    [InlineData(V1.Action.Tempfail, 421, "4.7.0", "Too many from you", "421 4.7.0 Too many from you")]
    [InlineData(V1.Action.Tempfail, 250, "2.0.0", "not a refusal", "421 4.7.0 Try again later")]
    [InlineData(V1.Action.Unspecified, 0, "", "", "554 5.7.1 Connection refused")]
    public async Task Connect_RefusedBySenderTier_ItsReplyThenClose(
        V1.Action action, int code, string enhanced, string text, string expected)
    {
        await using var server = await TestSmtpServer.StartAsync();
        server.Sender.Decision = StubSenderIntelligence.Refuse(action, code, enhanced, text);
        await using var client = await server.ConnectAsync();

        var greeting = await client.ReadReplyAsync();

        Assert.Equal(expected, $"{greeting.Code} {greeting.Lines[0]}");
        Assert.True(await client.WaitForCloseAsync(), "the server must close after refusing");
        Assert.Equal("lease-refused", (await server.Sender.NextReleaseAsync()).LeaseId);
    }

    [Fact]
    public async Task Connect_SenderTierFails_421AndClose()
    {
        await using var server = await TestSmtpServer.StartAsync();
        server.Sender.Failure = new InvalidOperationException("sender tier down");
        await using var client = await server.ConnectAsync();

        var greeting = await client.ReadReplyAsync();

        Assert.Equal("421 4.3.0", greeting.Status);
        Assert.True(await client.WaitForCloseAsync());
        await server.Sender.NextReleaseAsync();
    }

    [Fact]
    public async Task Connect_ClientDropsMidSession_LeaseReleased()
    {
        await using var server = await TestSmtpServer.StartAsync();
        var client = await server.ConnectAndHelloAsync();
        await client.SendAsync("MAIL FROM:<a@sender.test>\r\nRCPT TO:<user@example.test>\r\nDATA\r\npartial");
        await client.DisposeAsync();

        Assert.Equal("lease-1", (await server.Sender.NextReleaseAsync()).LeaseId);
        Assert.Empty(server.Spool.Stored);
    }

    [Fact]
    public async Task Connect_OverSessionLimit_421AndClose()
    {
        await using var server = await TestSmtpServer.StartAsync(o => o.MaxSessions = 2);
        await using var first = await server.ConnectAndHelloAsync();
        await using var second = await server.ConnectAndHelloAsync();

        await using var third = await server.ConnectAsync();
        Assert.Equal("421 4.3.2", (await third.ReadReplyAsync()).Status);
        Assert.True(await third.WaitForCloseAsync());

        // Sessions already open are unaffected, and a slot frees up when one ends.
        Assert.Equal("250 2.0.0", (await first.CommandAsync("NOOP")).Status);
        await second.QuitAsync();
        await Eventually.TrueAsync(() => server.Server.ActiveSessions == 1, "the second session to end");
        await using var fourth = await server.ConnectAndHelloAsync();
        await fourth.QuitAsync();
        await first.QuitAsync();
    }
}
