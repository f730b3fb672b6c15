using System.Text;
using Gateway.MtaEdge.Delivery;
using Gateway.MtaEdge.Delivery.Transfer;
using Gateway.MtaEdge.Tests.Delivery.Support;
using Gateway.MtaEdge.Tests.Queue.Support;
using Gateway.Testing;
using Gateway.V1;
using Xunit;

namespace Gateway.MtaEdge.Tests.Delivery;

/// <summary>Static routes with failover, and the remote route that only delivery reports may take.</summary>
public sealed class DeliveryRoutingTests
{
    [Fact]
    public async Task Route_FirstHostDown_SecondHostDelivers()
    {
        var down = FreePort.Next();
        await using var server = new FakeMailServer(TransferProtocol.Smtp);
        await using var harness = new DeliveryHarness("maildir:unused", o => o.Routes.Add(new DeliveryRoute
        {
            Domain = "example.test",
            Targets = [$"smtp://127.0.0.1:{down}", $"smtp://127.0.0.1:{server.Port}"],
        }));
        await harness.StartAsync();

        var queueId = await harness.QueueAsync("ann@example.net", SpoolFactory.Content(), "bob@example.test");

        Assert.True(await DeliveryHarness.EventuallyAsync(() => harness.Spool.Find(queueId) is null));
        Assert.Single(server.Received);
        var attempt = Assert.Single(harness.WorkerLogger.Events, e => e.EventName == "DeliveryAttempt");
        Assert.Contains($"to smtp://127.0.0.1:{server.Port}: delivered", attempt.Message);
        Assert.Contains("from client 192.0.2.10", attempt.Message);
        Assert.Equal(MailboxStoreKind.Imap, Assert.Single(harness.Remediation.Records).Store);
    }

    [Fact]
    public async Task Route_FirstHostRefusesRecipient_NoFailover()
    {
        await using var first = new FakeMailServer(TransferProtocol.Smtp) { RcptReply = (_, _) => "550 5.1.1 Unknown" };
        await using var second = new FakeMailServer(TransferProtocol.Smtp);
        await using var harness = new DeliveryHarness("maildir:unused", o => o.Routes.Add(new DeliveryRoute
        {
            Domain = "*.test",
            Targets = [$"smtp://127.0.0.1:{first.Port}", $"smtp://127.0.0.1:{second.Port}"],
        }));
        await harness.StartAsync();

        var queueId = await harness.QueueAsync("", SpoolFactory.Content(), "bob@example.test");

        Assert.True(await DeliveryHarness.EventuallyAsync(() => harness.Spool.Find(queueId) is null));
        Assert.Equal(0, second.Connections);
        Assert.Contains(harness.WorkerLogger.Events, e => e.EventName == "DeliveryRecipientFailed"
            && e.Message.Contains("550 5.1.1"));
    }

    [Fact]
    public async Task Route_GreetingRefused_FailsOverToNextHost()
    {
        await using var busy = new FakeMailServer(TransferProtocol.Smtp) { Greeting = "421 4.3.2 Busy" };
        await using var spare = new FakeMailServer(TransferProtocol.Lmtp);
        await using var harness = new DeliveryHarness("maildir:unused", o => o.Routes.Add(new DeliveryRoute
        {
            Domain = "example.test",
            Targets = [$"smtp://127.0.0.1:{busy.Port}", $"lmtp://127.0.0.1:{spare.Port}"],
        }));
        await harness.StartAsync();

        var queueId = await harness.QueueAsync("", SpoolFactory.Content(), "bob@example.test");

        Assert.True(await DeliveryHarness.EventuallyAsync(() => harness.Spool.Find(queueId) is null));
        Assert.Single(spare.Received);
    }

    [Fact]
    public async Task RemoteTargets_ReportToRemoteSender_GoesOutThere()
    {
        await using var local = new FakeMailServer(TransferProtocol.Lmtp) { RcptReply = (_, _) => "550 5.1.1 No" };
        await using var relay = new FakeMailServer(TransferProtocol.Smtp);
        await using var harness = new DeliveryHarness(
            $"lmtp://127.0.0.1:{local.Port}", o => o.RemoteTargets.Add($"smtp://127.0.0.1:{relay.Port}"));
        await harness.StartAsync();

        var queueId = await harness.QueueAsync("ann@remote.example", SpoolFactory.Content("Plans"), "bob@example.test");

        Assert.True(await DeliveryHarness.EventuallyAsync(
            () => relay.Received.Count == 1 && harness.Spool.Messages.Count == 0));
        Assert.Null(harness.Spool.Find(queueId));
        var report = Assert.Single(relay.Received);
        Assert.Equal("", report.MailFrom);
        Assert.Equal(["ann@remote.example"], report.Recipients);
        Assert.Contains("Status: 5.1.1", Encoding.UTF8.GetString(report.Data));
        Assert.Empty(harness.Remediation.Records);
    }

    [Fact]
    public async Task NoRoute_NonLocalRecipientOfRealSender_FailsAndNeverLeaves()
    {
        await using var relay = new FakeMailServer(TransferProtocol.Smtp);
        await using var harness = new DeliveryHarness(
            $"smtp://127.0.0.1:{relay.Port}", o => o.RemoteTargets.Add($"smtp://127.0.0.1:{relay.Port}"));
        await harness.StartAsync();

        var queueId = await harness.QueueAsync("ann@remote.example", SpoolFactory.Content(), "eve@elsewhere.example");

        Assert.True(await DeliveryHarness.EventuallyAsync(() => harness.Spool.Find(queueId) is null));
        Assert.Contains(harness.WorkerLogger.Events, e => e.EventName == "DeliveryRecipientFailed"
            && e.Message.Contains("554 5.4.4 No route to elsewhere.example"));

        // The report about it goes to the (remote) sender; the original never went anywhere.
        Assert.True(await DeliveryHarness.EventuallyAsync(() => relay.Received.Count == 1));
        Assert.DoesNotContain(relay.Received, m => m.Recipients.Contains("eve@elsewhere.example"));
    }
}
