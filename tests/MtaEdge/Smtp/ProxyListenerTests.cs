using System.Text;
using Gateway.MtaEdge.Tests.Smtp.Support;
using Xunit;

namespace Gateway.MtaEdge.Tests.Smtp;

/// <summary>
/// The PROXY protocol listener: trusted proxies only; the client it names drives checks, logs, Received:.
/// </summary>
public sealed class ProxyListenerTests
{
    [Fact]
    public async Task TrustedProxyV1_ClientAddressUsedEverywhere()
    {
        await using var server = await StartAsync("127.0.0.0/8");
        var header = "PROXY TCP4 192.0.2.44 198.51.100.1 40000 25\r\n"u8.ToArray();
        await using var client = await RawSmtpClient.ConnectAsync(server.ProxyEndPoint, header);
        Assert.Equal(220, (await client.ReadReplyAsync()).Code);
        Assert.Equal(250, (await client.CommandAsync("EHLO client.test")).Code);

        var reply = await client.SendMessageAsync("Subject: p\r\n\r\nbody\r\n.\r\n"u8.ToArray());
        await client.QuitAsync();

        Assert.Equal("250 2.0.0", reply.Status);
        var check = Assert.Single(server.Sender.Checks);
        Assert.Equal("192.0.2.44", check.ClientIp);
        Assert.Equal(40000, check.ClientPort);
        Assert.Equal("192.0.2.44", (await server.Sender.NextReleaseAsync()).ClientIp);
        var stored = server.Spool.Single();
        Assert.Equal("192.0.2.44", stored.Envelope.ClientAddress);
        Assert.Contains("(client.test [192.0.2.44])", stored.Text.Replace("from client.test (", "(client.test "),
            StringComparison.Ordinal);
        await Eventually.TrueAsync(
            () => server.Logger.Events.Any(e => e.EventName == "SmtpSessionEnded"), "the session log line");
        var ended = server.Logger.Events.Single(e => e.EventName == "SmtpSessionEnded").Message;
        Assert.Contains("from 192.0.2.44", ended, StringComparison.Ordinal);
        Assert.Contains("proxy=127.0.0.1", ended, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TrustedProxyV2_ClientAddressUsed()
    {
        await using var server = await StartAsync("127.0.0.1");
        var header = ProxyHeaderParserTests.V2(0x21, 0x11, [203, 0, 113, 9, 127, 0, 0, 1, 0x30, 0x39, 0, 25]);
        await using var client = await RawSmtpClient.ConnectAsync(server.ProxyEndPoint, header);

        Assert.Equal(220, (await client.ReadReplyAsync()).Code);
        await client.QuitAsync();
        Assert.Equal("203.0.113.9", Assert.Single(server.Sender.Checks).ClientIp);
    }

    [Fact]
    public async Task UntrustedPeer_DisconnectedWithoutAWord()
    {
        await using var server = await StartAsync("10.0.0.0/8");
        var header = "PROXY TCP4 192.0.2.44 198.51.100.1 40000 25\r\n"u8.ToArray();
        await using var client = await RawSmtpClient.ConnectAsync(server.ProxyEndPoint, header);

        Assert.True(await client.WaitForCloseAsync());
        Assert.Empty(server.Sender.Checks);
        Assert.Contains("SmtpProxyUntrusted", server.Logger.Names);
    }

    [Theory]
    [InlineData("EHLO client.test\r\n")]
    [InlineData("PROXY TCP4 192.0.2.44 nonsense 1 25\r\n")]
    public async Task TrustedPeerWithoutValidHeader_DisconnectedWithoutAWord(string first)
    {
        await using var server = await StartAsync("127.0.0.0/8");
        await using var client = await RawSmtpClient.ConnectAsync(server.ProxyEndPoint, Encoding.ASCII.GetBytes(first));

        Assert.True(await client.WaitForCloseAsync());
        Assert.Empty(server.Sender.Checks);
        Assert.Contains("SmtpProxyHeaderInvalid", server.Logger.Names);
    }

    [Fact]
    public async Task TrustedPeerSilent_DisconnectedAfterHeaderTimeout()
    {
        await using var server = await StartAsync("127.0.0.0/8", TimeSpan.FromMilliseconds(200));
        await using var client = await RawSmtpClient.ConnectAsync(server.ProxyEndPoint);

        Assert.True(await client.WaitForCloseAsync());
        Assert.Empty(server.Sender.Checks);
    }

    [Fact]
    public async Task PlainListener_PROXYLineIsJustABadCommand()
    {
        await using var server = await StartAsync("127.0.0.0/8");
        await using var client = await server.ConnectAsync();
        Assert.Equal(220, (await client.ReadReplyAsync()).Code);

        Assert.Equal("500 5.5.2", (await client.CommandAsync("PROXY TCP4 192.0.2.44 198.51.100.1 40000 25")).Status);
        await client.QuitAsync();
        Assert.Equal("127.0.0.1", Assert.Single(server.Sender.Checks).ClientIp);
    }

    private static Task<TestSmtpServer> StartAsync(string trusted, TimeSpan? headerTimeout = null) =>
        TestSmtpServer.StartAsync(o =>
        {
            o.ProxyListen = "127.0.0.1:0";
            o.ProxyTrustedNetworks = [trusted];
            o.ProxyHeaderTimeout = headerTimeout ?? TimeSpan.FromSeconds(10);
        });
}
