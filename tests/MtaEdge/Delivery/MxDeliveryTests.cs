using System.Net;
using Gateway.MtaEdge.Delivery;
using Gateway.MtaEdge.Delivery.Transfer;
using Gateway.MtaEdge.Tests.Delivery.Support;
using Gateway.MtaEdge.Tests.Queue.Support;
using Xunit;

namespace Gateway.MtaEdge.Tests.Delivery;

/// <summary>Delivery by MX lookup (RFC 5321 5.1) against a DNS server and SMTP servers on loopback.</summary>
public sealed class MxDeliveryTests
{
    [Fact]
    public async Task Mx_PreferredHostUnreachable_NextMxDelivers()
    {
        await using var dns = new FakeDnsServer();
        await using var server = new FakeMailServer(TransferProtocol.Smtp);
        dns.Mx["example.test"] = [(20, "mx2.example.test"), (10, "mx1.example.test")];
        dns.A["mx1.example.test"] = [IPAddress.Parse("127.0.0.2")]; // nothing listens there on this port
        dns.A["mx2.example.test"] = [IPAddress.Loopback];
        await using var harness = await StartAsync(dns, server.Port);

        var queueId = await harness.QueueAsync("ann@example.net", SpoolFactory.Content(), "bob@example.test");

        Assert.True(await DeliveryHarness.EventuallyAsync(() => harness.Spool.Find(queueId) is null));
        Assert.Single(server.Received);
        var names = dns.Questions.Select(q => q.Name).ToList();
        Assert.True(names.IndexOf("mx1.example.test") < names.IndexOf("mx2.example.test"), string.Join(",", names));
    }

    [Fact]
    public async Task Mx_NoMxRecord_ImplicitMxOfTheDomain()
    {
        await using var dns = new FakeDnsServer();
        await using var server = new FakeMailServer(TransferProtocol.Smtp);
        dns.A["example.test"] = [IPAddress.Loopback];
        await using var harness = await StartAsync(dns, server.Port);

        var queueId = await harness.QueueAsync("", SpoolFactory.Content(), "bob@example.test");

        Assert.True(await DeliveryHarness.EventuallyAsync(() => harness.Spool.Find(queueId) is null));
        Assert.Single(server.Received);
    }

    [Fact]
    public async Task Mx_DomainDoesNotExist_FailsForGood()
    {
        await using var dns = new FakeDnsServer();
        dns.NxDomain["example.test"] = true;
        await using var harness = await StartAsync(dns, 25);

        var queueId = await harness.QueueAsync("", SpoolFactory.Content(), "bob@example.test");

        Assert.True(await DeliveryHarness.EventuallyAsync(() => harness.Spool.Find(queueId) is null));
        Assert.Contains(harness.WorkerLogger.Events, e => e.EventName == "DeliveryRecipientFailed"
            && e.Message.Contains("550 5.1.2"));
    }

    [Fact]
    public async Task Mx_NullMx_FailsForGood()
    {
        await using var dns = new FakeDnsServer();
        dns.Mx["example.test"] = [(0, "")];
        await using var harness = await StartAsync(dns, 25);

        var queueId = await harness.QueueAsync("", SpoolFactory.Content(), "bob@example.test");

        Assert.True(await DeliveryHarness.EventuallyAsync(() => harness.Spool.Find(queueId) is null));
        Assert.Contains(harness.WorkerLogger.Events, e => e.EventName == "DeliveryRecipientFailed"
            && e.Message.Contains("556 5.1.10"));
    }

    [Fact]
    public async Task Mx_DnsDown_DeferredNotFailed()
    {
        var dead = new IPEndPoint(IPAddress.Loopback, Gateway.Testing.FreePort.Next());
        await using var harness = new DeliveryHarness("maildir:unused", o =>
        {
            o.Routes.Add(new DeliveryRoute { Domain = "example.test", Targets = ["mx"] });
            o.DnsServers.Add(dead.ToString());
            o.DnsTimeout = TimeSpan.FromMilliseconds(300);
        });
        await harness.StartAsync();

        var queueId = await harness.QueueAsync("", SpoolFactory.Content(), "bob@example.test");

        Assert.True(await DeliveryHarness.EventuallyAsync(
            () => harness.WorkerLogger.Events.Any(e => e.EventName == "DeliveryRecipientDeferred")));
        Assert.Contains(harness.WorkerLogger.Events, e => e.EventName == "DeliveryRecipientDeferred"
            && e.Message.Contains("451 4.4.3"));
        Assert.NotNull(harness.Spool.Find(queueId));
    }

    private static async Task<DeliveryHarness> StartAsync(FakeDnsServer dns, int mxPort)
    {
        var harness = new DeliveryHarness("maildir:unused", o =>
        {
            o.Routes.Add(new DeliveryRoute { Domain = "example.test", Targets = ["mx"] });
            o.DnsServers.Add(dns.Address);
            o.MxPort = mxPort;
        });
        await harness.StartAsync();
        return harness;
    }
}
