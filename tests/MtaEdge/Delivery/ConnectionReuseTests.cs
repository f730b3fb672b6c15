using Gateway.MtaEdge.Delivery;
using Gateway.MtaEdge.Delivery.Transfer;
using Gateway.MtaEdge.Queue;
using Gateway.MtaEdge.Tests.Delivery.Support;
using Gateway.MtaEdge.Tests.Queue.Support;
using Xunit;

namespace Gateway.MtaEdge.Tests.Delivery;

/// <summary>Idle connections to a next hop are reused for the next message, within bounds.</summary>
public sealed class ConnectionReuseTests
{
    [Fact]
    public async Task ThreeMessages_OneConnection()
    {
        await using var server = new FakeMailServer(TransferProtocol.Smtp);
        var target = Target(server.Port, TimeSpan.FromSeconds(5));

        for (var i = 0; i < 3; i++)
        {
            var results = await target.DeliverAsync(Message(), SpoolFactory.Content(), Recipients("bob"), default);
            Assert.Equal(DeliveryOutcome.Delivered, Assert.Single(results).Outcome);
        }

        Assert.Equal(1, server.Connections);
        Assert.Equal(3, server.Received.Count);
        Assert.Single(server.Commands, c => c.StartsWith("EHLO", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RefusedTransaction_ConnectionNotReused()
    {
        await using var server = new FakeMailServer(TransferProtocol.Smtp)
        {
            RcptReply = (connection, _) => connection == 1 ? "550 5.1.1 No" : "250 2.1.5 Ok",
        };
        var target = Target(server.Port, TimeSpan.FromSeconds(5));

        await target.DeliverAsync(Message(), SpoolFactory.Content(), Recipients("bob"), default);
        var second = await target.DeliverAsync(Message(), SpoolFactory.Content(), Recipients("bob"), default);

        Assert.Equal(DeliveryOutcome.Delivered, Assert.Single(second).Outcome);
        Assert.Equal(2, server.Connections);
    }

    [Fact]
    public async Task IdleConnectionClosedByServer_NewConnectionAndDeliveredOnce()
    {
        var port = Gateway.Testing.FreePort.Next();
        var target = Target(port, TimeSpan.FromSeconds(30));
        await using (var first = new FakeMailServer(TransferProtocol.Smtp, port))
        {
            await target.DeliverAsync(Message(), SpoolFactory.Content(), Recipients("bob"), default);
        }

        // The server went away (and came back): the pooled connection is dead.
        await using var second = new FakeMailServer(TransferProtocol.Smtp, port);
        var results = await target.DeliverAsync(Message(), SpoolFactory.Content(), Recipients("carl"), default);

        Assert.Equal(DeliveryOutcome.Delivered, Assert.Single(results).Outcome);
        Assert.Single(second.Received);
    }

    [Fact]
    public async Task IdlePastReuseTime_ClosedWithQuit()
    {
        await using var server = new FakeMailServer(TransferProtocol.Smtp);
        var target = Target(server.Port, TimeSpan.FromMilliseconds(200));

        await target.DeliverAsync(Message(), SpoolFactory.Content(), Recipients("bob"), default);

        Assert.True(await DeliveryHarness.EventuallyAsync(
            () => server.Commands.Contains("QUIT"), TimeSpan.FromSeconds(5)));
        await target.DeliverAsync(Message(), SpoolFactory.Content(), Recipients("bob"), default);
        Assert.Equal(2, server.Connections);
    }

    private static SmtpDeliveryTarget Target(int port, TimeSpan reuse) => new(
        new DeliveryTargetAddress(DeliveryTargetKind.Smtp, "", "127.0.0.1", port),
        new DeliveryOptions
        {
            ConnectTimeout = TimeSpan.FromSeconds(2),
            CommandTimeout = TimeSpan.FromSeconds(2),
            ConnectionReuseTime = reuse,
        },
        "mx.example.test");

    private static QueuedMessage Message() => new()
    {
        QueueId = QueueIdGenerator.Next(),
        MailFrom = "ann@example.net",
        Recipients = [],
        ClientAddress = "192.0.2.1",
    };

    private static List<QueuedRecipient> Recipients(params string[] names) =>
        names.Select(n => new QueuedRecipient { Address = n + "@example.test" }).ToList();
}
