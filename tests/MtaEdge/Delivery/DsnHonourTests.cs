using System.Text;
using Gateway.MtaEdge.Delivery.Transfer;
using Gateway.MtaEdge.Queue;
using Gateway.MtaEdge.Tests.Delivery.Support;
using Gateway.MtaEdge.Tests.Queue.Support;
using Xunit;

namespace Gateway.MtaEdge.Tests.Delivery;

/// <summary>
/// The DSN parameters kept with a message (RFC 3461) decide which reports are sent and what they hold.
/// </summary>
public sealed class DsnHonourTests
{
    [Fact]
    public async Task NotifyNever_PermanentFailure_NoReport()
    {
        await using var server = new FakeMailServer(TransferProtocol.Smtp) { RcptReply = (_, _) => "550 5.1.1 No" };
        await using var harness = await StartAsync($"smtp://127.0.0.1:{server.Port}");

        var queueId = await harness.QueueAsync(Message(harness, notify: "NEVER"), SpoolFactory.Content());

        Assert.True(await DeliveryHarness.EventuallyAsync(() => harness.Spool.Find(queueId) is null));
        Assert.Contains("DeliveryNoReportNotWanted", harness.NotifierLogger.Names);
        Assert.Empty(server.Received);
    }

    [Fact]
    public async Task RetFullEnvidOrcpt_FailureReport_ReturnsWholeMessageAndEchoes()
    {
        await using var server = new FakeMailServer(TransferProtocol.Smtp)
        {
            RcptReply = (_, rcpt) => rcpt == "bob@example.test" ? "550 5.1.1 No" : "250 2.1.5 Ok",
        };
        await using var harness = await StartAsync($"smtp://127.0.0.1:{server.Port}");
        var message = Message(
            harness, notify: "FAILURE", ret: "FULL", envid: "env-42", orcpt: "rfc822;Bob@Old.example");

        await harness.QueueAsync(message, SpoolFactory.Content("Full return"));

        Assert.True(await DeliveryHarness.EventuallyAsync(() => server.Received.Any(m => m.MailFrom == "")));
        var text = Encoding.UTF8.GetString(server.Received.Single(m => m.MailFrom == "").Data);
        Assert.Contains("Original-Envelope-Id: env-42", text);
        Assert.Contains("Original-Recipient: rfc822; Bob@Old.example", text);
        Assert.Contains("Content-Type: message/rfc822", text);
        Assert.Contains("Line one", text);
    }

    [Fact]
    public async Task NotifySuccess_Maildir_DeliveredReport()
    {
        await using var harness = await StartAsync("");

        await harness.QueueAsync(Message(harness, notify: "SUCCESS"), SpoolFactory.Content("Yay"));

        // The report lands in ann's own mailbox, a local domain.
        var cur = Path.Combine(harness.GatewayOptions.FullDataDir, "mail", "example.test", "ann", "new");
        Assert.True(await DeliveryHarness.EventuallyAsync(
            () => Directory.Exists(cur) && Directory.GetFiles(cur).Length == 1));
        var text = await File.ReadAllTextAsync(Directory.GetFiles(cur).Single());
        Assert.Contains("Action: delivered", text);
        Assert.Contains("Status: 2.0.0", text);
        Assert.Contains("Subject: Delivery report", text);
        Assert.Contains("Content-Type: text/rfc822-headers", text);
        Assert.DoesNotContain("Line one", text);
    }

    [Fact]
    public async Task NotifySuccess_NextHopWithoutDsn_RelayedReport()
    {
        await using var server = new FakeMailServer(TransferProtocol.Smtp);
        await using var harness = await StartAsync($"smtp://127.0.0.1:{server.Port}");

        await harness.QueueAsync(Message(harness, notify: "SUCCESS,FAILURE"), SpoolFactory.Content());

        Assert.True(await DeliveryHarness.EventuallyAsync(() => server.Received.Any(m => m.MailFrom == "")));
        Assert.Contains("Action: relayed", Encoding.UTF8.GetString(server.Received.Single(m => m.MailFrom == "").Data));
    }

    [Fact]
    public async Task NotifySuccess_NextHopWithDsn_ParametersPassedOnAndNoReportFromUs()
    {
        await using var server = new FakeMailServer(TransferProtocol.Smtp)
        {
            Extensions = ["8BITMIME", "DSN", "SIZE 10000000"],
        };
        await using var harness = await StartAsync($"smtp://127.0.0.1:{server.Port}");
        var message = Message(harness, notify: "SUCCESS", ret: "HDRS", envid: "a+b=c", orcpt: "rfc822;x=y@old.example");

        var queueId = await harness.QueueAsync(message, SpoolFactory.Content());

        Assert.True(await DeliveryHarness.EventuallyAsync(() => harness.Spool.Find(queueId) is null));
        Assert.Contains("MAIL FROM:<ann@example.test> SIZE=", string.Join("\n", server.Commands));
        Assert.Contains(server.Commands,
            c => c.StartsWith("MAIL FROM:<ann@example.test>") && c.EndsWith(" RET=HDRS ENVID=a+2Bb+3Dc"));
        Assert.Contains("RCPT TO:<bob@example.test> NOTIFY=SUCCESS ORCPT=rfc822;x+3Dy@old.example", server.Commands);
        await Task.Delay(200);
        Assert.Single(server.Received);
    }

    private static async Task<DeliveryHarness> StartAsync(string target)
    {
        var harness = new DeliveryHarness(target);
        await harness.StartAsync();
        return harness;
    }

    private static QueuedMessage Message(
        DeliveryHarness harness, string notify = "", string ret = "", string envid = "", string orcpt = "")
    {
        var message = SpoolFactory.Message(harness.Spool, "ann@example.test");
        return new QueuedMessage
        {
            QueueId = message.QueueId,
            MailFrom = message.MailFrom,
            Recipients =
            [
                new QueuedRecipient { Address = "bob@example.test", DsnNotify = notify, DsnOriginalRecipient = orcpt },
            ],
            ClientAddress = message.ClientAddress,
            ReceivedAt = message.ReceivedAt,
            MessageId = message.MessageId,
            DsnReturn = ret,
            DsnEnvelopeId = envid,
        };
    }
}
