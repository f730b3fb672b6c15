using System.Text;
using Gateway.MtaEdge.Delivery.Transfer;
using Gateway.MtaEdge.Tests.Delivery.Support;
using Gateway.MtaEdge.Tests.Interop.Support;
using Gateway.MtaEdge.Tests.Smtp.Support;
using Xunit;

namespace Gateway.MtaEdge.Tests.Interop;

/// <summary>
/// The non-transcript cases of the shared README, end to end through the whole edge: what reaches
/// the mailbox or the next hop, not only what the spool holds.
/// </summary>
public sealed class EndToEndTests
{
    private static readonly byte[] NulMessage = Encoding.Latin1.GetBytes(
        "Subject: nul\r\n\r\nbefore\0after\r\n\0\r\nlast line\r\n");

    [Fact]
    public async Task NulByte_DeliveredToMaildir_KeptWithEveryByteAfterIt()
    {
        await using var edge = await EdgeHost.StartAsync(new() { ["Gateway:Delivery:Target"] = "" });

        await SendAsync(edge, NulMessage);

        var folder = Path.Combine(edge.DataDir, "mail", "example.test", "user", "new");
        Assert.True(await DeliveryHarness.EventuallyAsync(
            () => Directory.Exists(folder) && Directory.EnumerateFiles(folder).Any()), edge.Log.ToString());
        var delivered = await File.ReadAllBytesAsync(Directory.EnumerateFiles(folder).Single());
        Assert.True(delivered.AsSpan().EndsWith(NulMessage), "the delivered copy must end with every byte sent");
    }

    [Fact]
    public async Task NulByte_RelayedBySmtp_KeptWithEveryByteAfterIt()
    {
        await using var hop = new FakeMailServer(TransferProtocol.Smtp);
        await using var edge = await EdgeHost.StartAsync(
            new() { ["Gateway:Delivery:Target"] = $"smtp://127.0.0.1:{hop.Port}" });

        await SendAsync(edge, NulMessage);

        Assert.True(await DeliveryHarness.EventuallyAsync(() => hop.Received.Count == 1), edge.Log.ToString());
        Assert.True(hop.Received.Single().Data.AsSpan().EndsWith(NulMessage));
    }

    [Fact]
    public async Task EightBitSubjectWithoutSmtpUtf8_RelayedWithoutSmtpUtf8()
    {
        await using var hop = new FakeMailServer(TransferProtocol.Smtp) { Extensions = ["8BITMIME", "SIZE 1000000"] };
        await using var edge = await EdgeHost.StartAsync(
            new() { ["Gateway:Delivery:Target"] = $"smtp://127.0.0.1:{hop.Port}" });
        var message = "Subject: Gr\u00fc\u00dfe\r\n\r\nhello\r\n"u8.ToArray();

        await SendAsync(edge, message, "MAIL FROM:<a@sender.test> BODY=8BITMIME");

        Assert.True(await DeliveryHarness.EventuallyAsync(() => hop.Received.Count == 1), edge.Log.ToString());
        var mail = hop.Commands.Single(c => c.StartsWith("MAIL FROM:", StringComparison.Ordinal));
        Assert.DoesNotContain("SMTPUTF8", mail);
        Assert.Contains("BODY=8BITMIME", mail);
        Assert.True(hop.Received.Single().Data.AsSpan().EndsWith(message));
    }

    [Fact]
    public async Task EightBitSubjectWithSmtpUtf8_HopWithoutIt_BouncedNotSent()
    {
        await using var hop = new FakeMailServer(TransferProtocol.Smtp) { Extensions = ["8BITMIME"] };
        await using var edge = await EdgeHost.StartAsync(
            new() { ["Gateway:Delivery:Target"] = $"smtp://127.0.0.1:{hop.Port}" });

        await SendAsync(edge, "Subject: Gr\u00fc\u00dfe\r\n\r\nhello\r\n"u8.ToArray(),
            "MAIL FROM:<ann@example.test> SMTPUTF8");

        // Only the (ASCII) report to ann arrives; the original never did.
        Assert.True(await DeliveryHarness.EventuallyAsync(
            () => hop.Received.Count == 1 && edge.Spool.Messages.Count == 0), edge.Log.ToString());
        var report = hop.Received.Single();
        Assert.Equal("", report.MailFrom);
        Assert.Contains("Status: 5.6.7", Encoding.UTF8.GetString(report.Data));
    }

    private static async Task SendAsync(EdgeHost edge, byte[] message, string mail = "MAIL FROM:<a@sender.test>")
    {
        await using var client = await RawSmtpClient.ConnectAndHelloAsync(edge.EndPoint);
        Assert.Equal("250 2.1.0", (await client.CommandAsync(mail)).Status);
        Assert.Equal("250 2.1.5", (await client.CommandAsync("RCPT TO:<user@example.test>")).Status);
        Assert.Equal(354, (await client.CommandAsync("DATA")).Code);
        await client.SendAsync([.. message, .. ".\r\n"u8.ToArray()]);
        Assert.Equal("250 2.0.0", (await client.ReadReplyAsync()).Status);
        await client.QuitAsync();
    }
}
