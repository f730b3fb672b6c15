using System.Diagnostics;
using Gateway.MtaEdge.Tests.Smtp.Support;
using Xunit;

namespace Gateway.MtaEdge.Tests.Smtp;

/// <summary>Early talkers, the error tarpit and commands without progress.</summary>
public sealed class SessionLimitTests
{
    [Fact]
    public async Task EarlyTalker_WithinGreetingDelay_554AndClose()
    {
        await using var server = await TestSmtpServer.StartAsync(o => o.GreetingDelay = TimeSpan.FromSeconds(5));
        await using var client = await server.ConnectAsync();

        await client.SendLineAsync("EHLO eager.test");

        Assert.Equal("554 5.5.1", (await client.ReadReplyAsync()).Status);
        Assert.True(await client.WaitForCloseAsync());
        Assert.Empty(server.Sender.Checks);
        Assert.Contains("SmtpEarlyTalker", server.Logger.Names);
    }

    [Fact]
    public async Task EarlyTalker_NoDelayConfigured_StillRefusedWhenAlreadyTalking()
    {
        await using var server = await TestSmtpServer.StartAsync();
        server.Sender.Delay = TimeSpan.FromMilliseconds(300);
        await using var client = await server.ConnectAsync();

        await client.SendLineAsync("EHLO eager.test");

        Assert.Equal("554 5.5.1", (await client.ReadReplyAsync()).Status);
        Assert.True(await client.WaitForCloseAsync());
    }

    [Fact]
    public async Task PatientClient_GreetedAfterTheDelay()
    {
        var delay = TimeSpan.FromMilliseconds(400);
        await using var server = await TestSmtpServer.StartAsync(o => o.GreetingDelay = delay);
        var clock = Stopwatch.StartNew();
        await using var client = await server.ConnectAsync();

        Assert.Equal(220, (await client.ReadReplyAsync()).Code);

        Assert.True(clock.Elapsed >= delay - TimeSpan.FromMilliseconds(20), $"greeted after {clock.Elapsed}");
        Assert.Equal(250, (await client.CommandAsync("EHLO client.test")).Code);
        await client.QuitAsync();
    }

    [Fact]
    public async Task Errors_PastThreshold_RepliesSlowDownThen421()
    {
        await using var server = await TestSmtpServer.StartAsync(o =>
        {
            o.ErrorDelayAfter = 2;
            o.ErrorDelay = TimeSpan.FromMilliseconds(150);
            o.MaxErrorDelay = TimeSpan.FromMilliseconds(300);
            o.MaxErrors = 6;
        });
        await using var client = await server.ConnectAndHelloAsync();
        var times = new List<TimeSpan>();

        for (var i = 0; i < 5; i++)
        {
            var clock = Stopwatch.StartNew();
            Assert.Equal("500 5.5.2", (await client.CommandAsync("BOGUS")).Status);
            times.Add(clock.Elapsed);
        }

        Assert.Equal("500 5.5.2", (await client.CommandAsync("BOGUS")).Status);
        Assert.Equal("421 4.7.0", (await client.ReadReplyAsync()).Status);
        Assert.True(await client.WaitForCloseAsync());

        // Errors 1-2 at once; 3: 150 ms, 4: 300 ms, 5: 300 ms (capped).
        Assert.True(times[0] < TimeSpan.FromMilliseconds(120), string.Join(", ", times));
        Assert.True(times[2] >= TimeSpan.FromMilliseconds(140), string.Join(", ", times));
        Assert.True(times[3] >= TimeSpan.FromMilliseconds(290), string.Join(", ", times));
        Assert.True(times[4] < TimeSpan.FromMilliseconds(600), string.Join(", ", times));
    }

    [Fact]
    public async Task NoProgress_TooManyNoops_421AndClose()
    {
        await using var server = await TestSmtpServer.StartAsync(o => o.MaxJunkCommands = 5);
        await using var client = await server.ConnectAndHelloAsync();

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal("250 2.0.0", (await client.CommandAsync(i % 2 == 0 ? "NOOP" : "RSET")).Status);
        }

        Assert.Equal("421 4.7.0", (await client.CommandAsync("VRFY x")).Status);
        Assert.True(await client.WaitForCloseAsync());
    }

    [Fact]
    public async Task NoProgress_AcceptedMessageResetsTheCount()
    {
        await using var server = await TestSmtpServer.StartAsync(o => o.MaxJunkCommands = 3);
        await using var client = await server.ConnectAndHelloAsync();

        for (var round = 0; round < 3; round++)
        {
            for (var i = 0; i < 3; i++)
            {
                Assert.Equal("250 2.0.0", (await client.CommandAsync("NOOP")).Status);
            }

            var reply = await client.SendMessageAsync("Subject: x\r\n\r\ny\r\n.\r\n"u8.ToArray());
            Assert.Equal("250 2.0.0", reply.Status);
        }

        await client.QuitAsync();
    }

    [Fact]
    public async Task NoProgress_RepeatedEhlo_Counted()
    {
        await using var server = await TestSmtpServer.StartAsync(o => o.MaxJunkCommands = 2);
        await using var client = await server.ConnectAndHelloAsync();

        Assert.Equal(250, (await client.CommandAsync("EHLO again.test")).Code);
        Assert.Equal(250, (await client.CommandAsync("HELO again.test")).Code);

        Assert.Equal("421 4.7.0", (await client.CommandAsync("EHLO again.test")).Status);
    }
}
