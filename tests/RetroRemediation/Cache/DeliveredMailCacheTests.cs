using Gateway.RetroRemediation.Audit;
using Gateway.RetroRemediation.Cache;
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
        await using var host = await RemediationHost.StartAsync(startWorker: false);
        var record = _tree.Deliver("ann@example.test");

        var added = await host.Cache.AddAsync(record, ["t1:aa", "t1:bb", "x2:cc"], CopyExemption.None);

        Assert.NotNull(added);
        foreach (var fingerprint in new[] { "t1:aa", "t1:bb", "x2:cc" })
        {
            var lookup = await host.Cache.FindAsync([fingerprint], 100);
            var found = Assert.Single(lookup.Copies);
            Assert.Equal(added.Id, found.Id);
            Assert.Equal([fingerprint], found.MatchedFingerprints);
        }

        var all = await host.Cache.FindAsync(["t1:aa", "t1:bb", "x2:cc", "x9:none"], 100);
        Assert.Equal(1, all.TotalFound);
        Assert.Equal(3, Assert.Single(all.Copies).MatchedFingerprints.Count);
        var ttl = await host.Redis.Database.KeyTimeToLiveAsync(added.ProgressPlace.Key);
        Assert.InRange(ttl!.Value, TimeSpan.FromHours(6), TimeSpan.FromHours(6.3));
    }

    [RequiresFact(TestEnvironment.RedisVariable)]
    public async Task Add_EveryFieldComesBack()
    {
        await using var host = await RemediationHost.StartAsync(startWorker: false);
        var maildir = _tree.Deliver("Ann.Lee+news@example.test");
        maildir.Size = 123_456;
        var imap = new DeliveryRecord
        {
            QueueId = "01JB3H6Z7Q8R9S0T1V2W3X4Y",
            Recipient = "bob@mail.example.test",
            Store = MailboxStoreKind.Imap,
            Folder = "Lists/Gateway",
            MessageId = "<CAF=x+y_z-1@mail.sender.test>",
            Size = 4,
            DeliveredAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddMinutes(-5)),
        };
        var odd = new DeliveryRecord(imap)
        {
            QueueId = "q odd",
            Recipient = "\"züri käse\"@example.test",
            Store = MailboxStoreKind.Webhook,
            Folder = "INBOX",
            Location = "mailbox-id:7f3/ä",
            MessageId = "",
        };

        foreach (var record in new[] { maildir, imap, odd })
        {
            record.Fingerprints.Add("t1:" + record.QueueId.GetHashCode());
            var added = await host.Cache.AddAsync(record, record.Fingerprints, CopyExemption.None);
            var read = await host.Cache.GetAsync(added!.Id);

            Assert.NotNull(read);
            var expected = record.Clone();
            expected.Fingerprints.Clear();
            expected.DeliveredAt = Timestamp.FromDateTimeOffset(
                DateTimeOffset.FromUnixTimeSeconds(record.DeliveredAt.Seconds));
            Assert.Equal(expected, read.Record);
            Assert.Equal(CopyState.Delivered, read.Progress.State);
        }
    }

    [RequiresFact(TestEnvironment.RedisVariable)]
    public async Task Add_SameDeliveryAgain_LookupKeepsTheFirstAndItsState()
    {
        await using var host = await RemediationHost.StartAsync(startWorker: false);
        var record = _tree.Deliver("ann@example.test");
        var first = await host.Cache.AddAsync(record, ["t1:aa"], CopyExemption.None);
        var moved = new CopyProgress(
            CopyState.MovedToJunk, AuditAction.MoveToJunk, AuditResult.Done, StoreFlags.None, DateTimeOffset.UtcNow);
        Assert.True(await host.Cache.SaveProgressAsync(first!, moved));

        var second = await host.Cache.AddAsync(record.Clone(), ["t1:aa", "t1:bb"], CopyExemption.None);

        Assert.NotEqual(first!.Id, second!.Id);
        foreach (var fingerprint in new[] { "t1:aa", "t1:bb" })
        {
            var lookup = await host.Cache.FindAsync([fingerprint], 100);
            var copy = Assert.Single(lookup.Copies);
            Assert.Equal(fingerprint == "t1:aa" ? first.Id : second.Id, copy.Id);
        }

        var both = Assert.Single((await host.Cache.FindAsync(["t1:aa", "t1:bb"], 100)).Copies);
        Assert.Equal(first.Id, both.Id);
        Assert.Equal(CopyState.MovedToJunk, both.Progress.State);
        Assert.Equal(AuditAction.MoveToJunk, both.Progress.LastAction);
        Assert.Equal(AuditResult.Done, both.Progress.LastResult);
    }

    [RequiresFact(TestEnvironment.RedisVariable)]
    public async Task Add_DeliveredBeforeTheWindow_IsNotStored()
    {
        await using var host = await RemediationHost.StartAsync(startWorker: false);
        var record = _tree.Deliver("ann@example.test");
        record.DeliveredAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddHours(-7));

        Assert.Null(await host.Cache.AddAsync(record, ["t1:aa"], CopyExemption.None));
        Assert.Empty((await host.Cache.FindAsync(["t1:aa"], 100)).Copies);
    }

    [RequiresFact(TestEnvironment.RedisVariable)]
    public async Task SaveProgress_RewritesInPlaceAndKeepsTheExpiry()
    {
        await using var host = await RemediationHost.StartAsync(startWorker: false);
        var record = _tree.Deliver("ann@example.test");
        var copy = await host.Cache.AddAsync(record, ["t1:aa"], CopyExemption.SafeSender);
        var ttlBefore = await host.Redis.Database.KeyTimeToLiveAsync(copy!.ProgressPlace.Key);
        var at = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());

        var progress = new CopyProgress(CopyState.Flagged, AuditAction.Flag, AuditResult.Done, StoreFlags.Junk, at);
        Assert.True(await host.Cache.SaveProgressAsync(copy, progress));

        // The time is kept to the minute (the audit has the exact one).
        var read = await host.Cache.GetAsync(copy.Id);
        Assert.Equal(progress with { LastActionAt = null }, read!.Progress with { LastActionAt = null });
        Assert.InRange(read.Progress.LastActionAt!.Value, at.AddSeconds(-60), at);
        Assert.Equal(CopyExemption.SafeSender, read.Exemption);
        Assert.Equal("safe sender", read.ToDeliveredCopy().ExemptBecause);
        Assert.Equal("flag: done", read.ToDeliveredCopy().LastAction);
        var ttlAfter = await host.Redis.Database.KeyTimeToLiveAsync(copy.ProgressPlace.Key);
        Assert.InRange(ttlAfter!.Value, ttlBefore!.Value - TimeSpan.FromSeconds(5), ttlBefore.Value);
    }

    [RequiresFact(TestEnvironment.RedisVariable)]
    public async Task ExpiredCopy_IsGoneAndItsPagesAreNotBroughtBack()
    {
        await using var host = await RemediationHost.StartAsync(
            new Dictionary<string, string?> { ["Gateway:Remediation:Window"] = "00:00:02" }, startWorker: false);
        var record = _tree.Deliver("ann@example.test");
        var copy = await host.Cache.AddAsync(record, ["t1:aa"], CopyExemption.None);
        Assert.NotNull(await host.Cache.GetAsync(copy!.Id));

        await RemediationHost.WaitUntilAsync(
            async () => await host.Cache.GetAsync(copy.Id) is null, TimeSpan.FromSeconds(10), "the copy to expire");
        Assert.Empty((await host.Cache.FindAsync(["t1:aa"], 100)).Copies);

        // Its keys go a little later (the slot's end plus the window), and are not recreated by a late save.
        await RemediationHost.WaitUntilAsync(
            async () => !await host.Redis.Database.KeyExistsAsync(copy.ProgressPlace.Key), TimeSpan.FromSeconds(10),
            "the record page to expire");
        Assert.False(await host.Cache.SaveProgressAsync(copy, copy.Progress with { State = CopyState.MovedToJunk }));
        Assert.False(await host.Redis.Database.KeyExistsAsync(copy.ProgressPlace.Key));
    }

    [RequiresFact(TestEnvironment.RedisVariable)]
    public async Task Find_MoreCopiesThanTheLimit_ReturnsOldestAndCountsAll()
    {
        await using var host = await RemediationHost.StartAsync(startWorker: false);
        for (var i = 0; i < 5; i++)
        {
            var record = _tree.Deliver($"user{i}@example.test");
            record.DeliveredAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddMinutes(-10 + i));
            await host.Cache.AddAsync(record, ["t1:many"], CopyExemption.None);
        }

        var lookup = await host.Cache.FindAsync(["t1:many"], 3);

        Assert.Equal(5, lookup.TotalFound);
        Assert.Equal(["user0@example.test", "user1@example.test", "user2@example.test"],
            lookup.Copies.Select(c => c.Record.Recipient));
    }

    [RequiresFact(TestEnvironment.RedisVariable)]
    public async Task Find_ManyCopiesAcrossPages_FindsEachOnceAndCountsThem()
    {
        await using var host = await RemediationHost.StartAsync(startWorker: false);
        var records = Enumerable.Range(0, 400).Select(i => new DeliveryRecord
        {
            QueueId = $"q{i:D5}",
            Recipient = $"user{i % 37}@example.test",
            Store = MailboxStoreKind.Imap,
            Folder = "INBOX",
            MessageId = $"<{Guid.NewGuid():N}@campaign.test>",
            Size = 1000 + i,
            DeliveredAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow),
        }).ToList();
        await Task.WhenAll(records.Select(r =>
            host.Cache.AddAsync(r, Number(r) % 2 == 0 ? ["t1:camp", "t1:even"] : ["t1:camp"], CopyExemption.None)));

        var all = await host.Cache.FindAsync(["t1:camp"], 10_000);
        var even = await host.Cache.FindAsync(["t1:even"], 10_000);
        var statistics = await host.Cache.GetStatisticsAsync();

        Assert.Equal(400, all.TotalFound);
        Assert.Equal(records.Select(r => r.QueueId).Order(), all.Copies.Select(c => c.Record.QueueId).Order());
        Assert.Equal(200, even.TotalFound);
        Assert.Equal(400, statistics.Copies);
        Assert.Equal(600 * 10, statistics.IndexBytes);
        Assert.InRange(statistics.RecordBytes, 400 * 40, 400 * 90);

        static int Number(DeliveryRecord r) => int.Parse(r.QueueId[1..]);
    }

    [RequiresFact(TestEnvironment.RedisVariable)]
    public async Task Add_FingerprintsSharingABucket_FoundAcrossIndexPageEdges()
    {
        await using var host = await RemediationHost.StartAsync(startWorker: false);

        // Seven fingerprints in one index bucket: each copy takes a 70-byte run of that bucket's index,
        // and runs cross the page edges (pages of 120, 250, 500, 1010... bytes).
        var shared = SameBucket(7);
        var records = Enumerable.Range(0, 30).Select(i => new DeliveryRecord
        {
            QueueId = $"q{i:D5}",
            Recipient = "ann@example.test",
            Store = MailboxStoreKind.Imap,
            Folder = "INBOX",
            MessageId = $"<{i}@bucket.test>",
            Size = 1000,
            DeliveredAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow),
        }).ToList();
        foreach (var record in records)
        {
            Assert.NotNull(await host.Cache.AddAsync(record, shared, CopyExemption.None));
        }

        var statistics = await host.Cache.GetStatisticsAsync();
        Assert.Equal(30 * 7 * 10, statistics.IndexBytes);
        foreach (var fingerprint in shared)
        {
            var lookup = await host.Cache.FindAsync([fingerprint], 100);
            Assert.Equal(records.Select(r => r.QueueId), lookup.Copies.Select(c => c.Record.QueueId).Order());
        }

        var all = await host.Cache.FindAsync(shared, 100);
        Assert.All(all.Copies, c => Assert.Equal(7, c.MatchedFingerprints.Count));
    }

    /// <summary>The first <paramref name="count"/> fingerprints "t1:n0", "t1:n1"... in one index bucket.</summary>
    private static List<string> SameBucket(int count)
    {
        // The cache's layout: bits 64..95 of the fingerprint's SHA-256 choose one of 64 buckets.
        static uint Bucket(string fingerprint) => System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(
            System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(fingerprint)).AsSpan(8))
            % DeliveredMailCache.IndexBuckets;

        var found = new List<string>();
        for (var i = 0; i < 10_000 && found.Count < count; i++)
        {
            var fingerprint = "t1:n" + i;
            if (found.Count == 0 || Bucket(fingerprint) == Bucket(found[0]))
            {
                found.Add(fingerprint);
            }
        }

        Assert.Equal(count, found.Count);
        return found;
    }

    [RequiresFact(TestEnvironment.RedisVariable)]
    public async Task Find_IndexEntryAllocatedButNeverWritten_IsSkipped()
    {
        await using var host = await RemediationHost.StartAsync(startWorker: false);
        var copy = await host.Cache.AddAsync(_tree.Deliver("ann@example.test"), ["t1:aa"], CopyExemption.None);

        // A writer that died between taking space and writing: every bucket of the slot gets 10 zero bytes.
        var db = host.Redis.Database;
        var slot = copy!.Id[..copy.Id.IndexOf('-')];
        for (var bucket = 0; bucket < DeliveredMailCache.IndexBuckets; bucket++)
        {
            await db.HashIncrementAsync(host.Redis.Key("s", slot), bucket.ToString(), 10);
        }

        var lookup = await host.Cache.FindAsync(["t1:aa"], 100);

        Assert.Equal(copy.Id, Assert.Single(lookup.Copies).Id);
    }

    [RequiresFact(TestEnvironment.RedisVariable)]
    public async Task Get_DamagedEntry_IsIgnoredNotThrown()
    {
        await using var host = await RemediationHost.StartAsync(startWorker: false);
        var copy = await host.Cache.AddAsync(_tree.Deliver("ann@example.test"), ["t1:aa"], CopyExemption.None);
        var start = copy!.ProgressPlace.Offset - 2;
        await host.Redis.Database.StringSetRangeAsync(copy.ProgressPlace.Key, start, new byte[] { 0x40, 0xFF, 0xFF });

        Assert.Null(await host.Cache.GetAsync(copy.Id));
        Assert.Empty((await host.Cache.FindAsync(["t1:aa"], 100)).Copies);
        Assert.Null(await host.Cache.GetAsync("not-an-id!"));
        Assert.Null(await host.Cache.GetAsync("zzzz-zzzz"));
    }

    [RequiresFact(TestEnvironment.RedisVariable)]
    public async Task Lease_HeldByOne_RefusedToAnotherUntilReleased()
    {
        await using var host = await RemediationHost.StartAsync(startWorker: false);

        var first = await host.Cache.TryLeaseAsync("copy1", TimeSpan.FromMinutes(1));
        var second = await host.Cache.TryLeaseAsync("copy1", TimeSpan.FromMinutes(1));
        await host.Cache.ReleaseLeaseAsync("copy1", first!);
        var third = await host.Cache.TryLeaseAsync("copy1", TimeSpan.FromMinutes(1));

        Assert.NotNull(first);
        Assert.Null(second);
        Assert.NotNull(third);
    }

    [RequiresFact(TestEnvironment.RedisVariable)]
    public async Task CompactClosedSlots_ShrinksLastPagesAndKeepsEverything()
    {
        // A 48 s window gives 1 s slots.
        await using var host = await RemediationHost.StartAsync(
            new Dictionary<string, string?> { ["Gateway:Remediation:Window"] = "00:00:48" }, startWorker: false);
        var copies = new List<CachedCopy>();
        for (var i = 0; i < 30; i++)
        {
            copies.Add((await host.Cache.AddAsync(_tree.Deliver($"u{i}@example.test"), ["t1:aa", "t1:b" + i],
                CopyExemption.None))!);
        }

        await Task.Delay(TimeSpan.FromSeconds(1.2));
        var before = await host.Cache.FindAsync(["t1:aa"], 100);

        var freed = await host.Cache.CompactClosedSlotsAsync(TimeSpan.Zero);

        Assert.True(freed > 0);
        Assert.Equal(0, await host.Cache.CompactClosedSlotsAsync(TimeSpan.Zero));
        var after = await host.Cache.FindAsync(["t1:aa"], 100);
        Assert.Equal(before.Copies.Select(c => c.Id), after.Copies.Select(c => c.Id));
        Assert.Equal(copies[7].Id, Assert.Single((await host.Cache.FindAsync(["t1:b7"], 100)).Copies).Id);

        // A shrunk record page still takes state updates in place, and keeps its expiry.
        var progress = new CopyProgress(
            CopyState.MovedToJunk, AuditAction.MoveToJunk, AuditResult.Done, StoreFlags.None, DateTimeOffset.UtcNow);
        Assert.True(await host.Cache.SaveProgressAsync(after.Copies[^1], progress));
        Assert.Equal(CopyState.MovedToJunk, (await host.Cache.GetAsync(after.Copies[^1].Id))!.Progress.State);
        var key = after.Copies[^1].ProgressPlace.Key;
        Assert.True(await host.Redis.Database.StringLengthAsync(key) < 8186);
        Assert.NotNull(await host.Redis.Database.KeyTimeToLiveAsync(key));
        Assert.Equal(30, (await host.Cache.GetStatisticsAsync()).Copies);
    }

    [RequiresFact(TestEnvironment.RedisVariable)]
    public async Task Pages_AreCreatedAtFullSizeAndNeverGrown()
    {
        await using var host = await RemediationHost.StartAsync(startWorker: false);
        var copies = new List<CachedCopy>();
        for (var i = 0; i < 150; i++)
        {
            var record = _tree.Deliver($"u{i}@example.test");
            copies.Add((await host.Cache.AddAsync(record, ["t1:aa"], CopyExemption.None))!);
        }

        var server = host.Redis.Database.Multiplexer.GetServers()[0];
        var keys = server.Keys(pattern: host.KeyPrefix + "r:*").ToList();
        Assert.NotEmpty(keys);
        foreach (var key in keys)
        {
            Assert.Equal(8186, await host.Redis.Database.StringLengthAsync(key));
        }

        var indexLengths = await Task.WhenAll(server.Keys(pattern: host.KeyPrefix + "x:*")
            .Select(k => host.Redis.Database.StringLengthAsync(k)));
        long[] sizes = [120, 250, 500, 1010, 2040, 4090, 8180];
        Assert.All(indexLengths, length => Assert.Contains(length, sizes));
    }
}
