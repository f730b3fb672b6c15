using Gateway.RetroRemediation.Tests.Support;
using Gateway.Testing;
using Gateway.V1;
using Google.Protobuf.WellKnownTypes;
using Xunit;

namespace Gateway.RetroRemediation.Tests.Cache;

public sealed class DeliveredMailCacheTests : IDisposable
{
    private readonly TestMaildirTree _tree = new();

    public void Dispose() => _tree.Dispose();

    [RequiresFact(TestEnvironment.RedisVariable)]
    public async Task Add_ThreeFingerprints_OneCopyFoundByEach()
    {
        using var host = RemediationHost.Start();
        var record = _tree.Deliver("ann@example.test");

        var added = await host.Cache.AddAsync(record, ["x1:aa", "x1:bb", "x2:cc"]);

        Assert.NotNull(added);
        foreach (var fingerprint in new[] { "x1:aa", "x1:bb", "x2:cc" })
        {
            var lookup = await host.Cache.FindAsync([fingerprint], 100);
            Assert.Equal(added.Id, Assert.Single(lookup.Copies).Id);
        }

        var all = await host.Cache.FindAsync(["x1:aa", "x1:bb", "x2:cc", "x9:none"], 100);
        Assert.Single(all.Copies);
        Assert.Equal(1, all.TotalFound);
        var ttl = await host.Redis.Database.KeyTimeToLiveAsync(host.Redis.Key("dc", added.Id));
        Assert.InRange(ttl!.Value, TimeSpan.FromHours(5.9), TimeSpan.FromHours(6));
    }

    [RequiresFact(TestEnvironment.RedisVariable)]
    public async Task Add_SameDeliveryAgain_KeepsTheStoredState()
    {
        using var host = RemediationHost.Start();
        var record = _tree.Deliver("ann@example.test");
        var first = await host.Cache.AddAsync(record, ["x1:aa"]);
        first!.Copy.State = CopyState.MovedToJunk;
        Assert.True(await host.Cache.UpdateAsync(first));

        var second = await host.Cache.AddAsync(record.Clone(), ["x1:aa", "x1:bb"]);

        Assert.Equal(first.Id, second!.Id);
        var stored = await host.Cache.GetAsync(first.Id);
        Assert.Equal(CopyState.MovedToJunk, stored!.Copy.State);
        Assert.Single((await host.Cache.FindAsync(["x1:bb"], 100)).Copies);
    }

    [RequiresFact(TestEnvironment.RedisVariable)]
    public async Task Add_DeliveredBeforeTheWindow_IsNotStored()
    {
        using var host = RemediationHost.Start();
        var record = _tree.Deliver("ann@example.test");
        record.DeliveredAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddHours(-7));

        Assert.Null(await host.Cache.AddAsync(record, ["x1:aa"]));
        Assert.Empty((await host.Cache.FindAsync(["x1:aa"], 100)).Copies);
    }

    [RequiresFact(TestEnvironment.RedisVariable)]
    public async Task Update_KeepsTheRemainingTimeToLive()
    {
        using var host = RemediationHost.Start();
        var record = _tree.Deliver("ann@example.test");
        record.DeliveredAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddHours(-5));
        var copy = await host.Cache.AddAsync(record, ["x1:aa"]);

        copy!.Copy.State = CopyState.MovedToJunk;
        Assert.True(await host.Cache.UpdateAsync(copy));

        var ttl = await host.Redis.Database.KeyTimeToLiveAsync(host.Redis.Key("dc", copy.Id));
        Assert.InRange(ttl!.Value, TimeSpan.FromMinutes(55), TimeSpan.FromHours(1));
    }

    [RequiresFact(TestEnvironment.RedisVariable)]
    public async Task ExpiredCopy_IsGoneNotResurrectedAndItsIndexEntryCleaned()
    {
        using var host = RemediationHost.Start(new Dictionary<string, string?>
        {
            ["Gateway:Remediation:Window"] = "00:00:10",
        });
        var record = _tree.Deliver("ann@example.test");

        // Delivered 9 s into a 10 s window: the copy lives 1 s more, its index entry a full window.
        record.DeliveredAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddSeconds(-9));
        var copy = await host.Cache.AddAsync(record, ["x1:aa"]);
        Assert.NotNull(copy);
        await WaitUntilGoneAsync(host, copy.Id);

        var lookup = await host.Cache.FindAsync(["x1:aa"], 100);

        Assert.Empty(lookup.Copies);
        Assert.Equal(0, await host.Redis.Database.SetLengthAsync(host.Redis.Key("dfp", "x1:aa")));
        copy.Copy.State = CopyState.MovedToJunk;
        Assert.False(await host.Cache.UpdateAsync(copy));
        Assert.Null(await host.Cache.GetAsync(copy.Id));
    }

    [RequiresFact(TestEnvironment.RedisVariable)]
    public async Task Find_MoreCopiesThanTheLimit_ReturnsOldestAndCountsAll()
    {
        using var host = RemediationHost.Start();
        for (var i = 0; i < 5; i++)
        {
            var record = _tree.Deliver($"user{i}@example.test");
            record.DeliveredAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddMinutes(-10 + i));
            await host.Cache.AddAsync(record, ["x1:many"]);
        }

        var lookup = await host.Cache.FindAsync(["x1:many"], 3);

        Assert.Equal(5, lookup.TotalFound);
        Assert.Equal(["user0@example.test", "user1@example.test", "user2@example.test"],
            lookup.Copies.Select(c => c.Copy.Record.Recipient));
    }

    [RequiresFact(TestEnvironment.RedisVariable)]
    public async Task Lease_HeldByOne_RefusedToAnotherUntilReleased()
    {
        using var host = RemediationHost.Start();

        var first = await host.Cache.TryLeaseAsync("copy1", TimeSpan.FromMinutes(1));
        var second = await host.Cache.TryLeaseAsync("copy1", TimeSpan.FromMinutes(1));
        await host.Cache.ReleaseLeaseAsync("copy1", first!);
        var third = await host.Cache.TryLeaseAsync("copy1", TimeSpan.FromMinutes(1));

        Assert.NotNull(first);
        Assert.Null(second);
        Assert.NotNull(third);
    }

    private static async Task WaitUntilGoneAsync(RemediationHost host, string id)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (await host.Cache.GetAsync(id) is not null)
        {
            Assert.True(DateTime.UtcNow < deadline, "the copy did not expire");
            await Task.Delay(100);
        }
    }
}
