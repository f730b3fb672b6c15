using Gateway.MtaEdge.Admin;
using Gateway.MtaEdge.Delivery.Transfer;
using Gateway.MtaEdge.Tests.Delivery.Support;
using Gateway.MtaEdge.Tests.Queue.Support;
using Gateway.V1;
using Xunit;

namespace Gateway.MtaEdge.Tests.Admin;

/// <summary>Queue administration: list with counts by state, show, retry now, delete.</summary>
public sealed class QueueAdministratorTests
{
    [Fact]
    public async Task List_NewAndDeferred_CountedAndListedOldestFirst()
    {
        await using var server = new FakeMailServer(TransferProtocol.Smtp) { RcptReply = (_, _) => "451 4.2.0 Later" };
        await using var harness = Harness($"smtp://127.0.0.1:{server.Port}", TimeSpan.FromHours(1));
        var deferred = await harness.QueueAsync(
            "ann@example.net", SpoolFactory.Content(), "bob@example.test", "carl@example.test");
        await harness.StartAsync();
        Assert.True(await DeliveryHarness.EventuallyAsync(() => harness.Spool.Find(deferred)!.Attempts == 1
            && !harness.Claims.IsClaimed(deferred)));
        await harness.StopAsync();
        var fresh = await harness.QueueAsync("", SpoolFactory.Content(), "dora@example.test");

        var listing = Administrator(harness).List(QueuedMessageState.Unspecified, 100);

        Assert.Equal(2, listing.Status.Messages);
        Assert.Equal(1, listing.Counts.NewMessages);
        Assert.Equal(1, listing.Counts.DeferredMessages);
        Assert.Equal(0, listing.Counts.ActiveMessages);
        Assert.Equal(3, listing.Counts.RecipientsPending);
        Assert.Equal([deferred, fresh], listing.Messages.Select(m => m.QueueId));
        Assert.Equal(QueuedMessageState.Deferred, listing.Messages[0].State);
        Assert.Equal("451 4.2.0 Later", listing.Messages[0].Recipients[0].LastResult);
        Assert.False(listing.Truncated);

        var onlyNew = Administrator(harness).List(QueuedMessageState.New, 100);
        Assert.Equal([fresh], onlyNew.Messages.Select(m => m.QueueId));
        Assert.Equal(1, onlyNew.Counts.DeferredMessages);

        var limited = Administrator(harness).List(QueuedMessageState.Unspecified, 1);
        Assert.Single(limited.Messages);
        Assert.True(limited.Truncated);
    }

    [Fact]
    public async Task Show_QueuedAndUnknown()
    {
        await using var harness = Harness("maildir:unused");
        var id = await harness.QueueAsync("ann@example.net", SpoolFactory.Content(), "bob@example.test");

        var info = Administrator(harness).Show(id)!;

        Assert.Equal("ann@example.net", info.MailFrom);
        Assert.Equal("192.0.2.10", info.ClientAddress);
        Assert.Equal(QueuedRecipientState.Pending, Assert.Single(info.Recipients).State);
        Assert.Null(Administrator(harness).Show("NOPE"));
        Assert.Null(Administrator(harness).Show("../../etc/passwd"));
    }

    [Fact]
    public async Task Retry_DeferredFarInTheFuture_DeliveredNow()
    {
        var refuse = true;
        await using var server = new FakeMailServer(TransferProtocol.Smtp)
        {
            RcptReply = (_, _) => Volatile.Read(ref refuse) ? "451 4.2.0 Later" : "250 2.1.5 Ok",
        };
        await using var harness = Harness($"smtp://127.0.0.1:{server.Port}", TimeSpan.FromHours(1));
        await harness.StartAsync();
        var id = await harness.QueueAsync("ann@example.net", SpoolFactory.Content(), "bob@example.test");
        Assert.True(await DeliveryHarness.EventuallyAsync(() => harness.Spool.Find(id)!.Attempts == 1
            && !harness.Claims.IsClaimed(id)));
        Volatile.Write(ref refuse, false);

        Assert.Equal(QueueOperationOutcome.Done, Administrator(harness).Retry(id));

        Assert.True(await DeliveryHarness.EventuallyAsync(() => harness.Spool.Find(id) is null));
        Assert.Single(server.Received);
        Assert.Equal(QueueOperationOutcome.NotFound, Administrator(harness).Retry(id));
    }

    [Fact]
    public async Task Delete_Queued_GoneFromDiskAndNeverDelivered()
    {
        await using var server = new FakeMailServer(TransferProtocol.Smtp);
        await using var harness = Harness($"smtp://127.0.0.1:{server.Port}");
        var id = await harness.QueueAsync("ann@example.net", SpoolFactory.Content(), "bob@example.test");

        Assert.Equal(QueueOperationOutcome.Done, Administrator(harness).Delete(id));
        await harness.StartAsync();
        await Task.Delay(300);

        Assert.Null(harness.Spool.Find(id));
        Assert.Empty(Directory.EnumerateFiles(harness.Spool.QueueDirectory));
        Assert.Equal(0, server.Connections);
        Assert.Equal(QueueOperationOutcome.NotFound, Administrator(harness).Delete(id));
    }

    [Fact]
    public async Task RetryAndDelete_WhileClaimedByDelivery_Busy()
    {
        await using var harness = Harness("maildir:unused");
        var id = await harness.QueueAsync("ann@example.net", SpoolFactory.Content(), "bob@example.test");
        Assert.True(harness.Claims.TryClaim(id, "delivery"));

        Assert.Equal(QueueOperationOutcome.Busy, Administrator(harness).Retry(id));
        Assert.Equal(QueueOperationOutcome.Busy, Administrator(harness).Delete(id));
        Assert.Equal(QueuedMessageState.Active, Administrator(harness).Show(id)!.State);
        Assert.NotNull(harness.Spool.Find(id));
    }

    private static DeliveryHarness Harness(string target, TimeSpan? retry = null) => new(target, o =>
    {
        if (retry is { } delay)
        {
            o.RetryInitialDelay = delay;
            o.RetryMaxDelay = delay;
        }
    });

    private static QueueAdministrator Administrator(DeliveryHarness harness) => new(
        harness.Spool, harness.Schedule, harness.Claims, TimeProvider.System, new ListLogger<QueueAdministrator>());
}
