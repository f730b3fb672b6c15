using System.Text;
using Gateway.MtaEdge.Queue;
using Gateway.MtaEdge.Tests.Queue.Support;
using Xunit;

namespace Gateway.MtaEdge.Tests.Queue;

public sealed class FileMessageSpoolTests : IDisposable
{
    private readonly TempDirectory _dataDir = new();

    public void Dispose() => _dataDir.Dispose();

    [Fact]
    public async Task Store_ThenNewSpoolInstance_RecoversMessageWithEnvelopeAndContent()
    {
        // Arrange
        var first = SpoolFactory.Create(_dataDir.Path);
        var message = SpoolFactory.Message(first, "ann@example.net", "bob@example.test", "carl+tag@example.test");
        var content = SpoolFactory.Content();

        // Act
        await first.StoreAsync(message, content, CancellationToken.None);
        var scheduler = new RecordingScheduler();
        var second = SpoolFactory.Create(_dataDir.Path, scheduler);
        await second.EnsureRecoveredAsync(CancellationToken.None);

        // Assert
        var recovered = Assert.Single(second.Messages);
        Assert.Equal(message.QueueId, recovered.QueueId);
        Assert.Equal("ann@example.net", recovered.MailFrom);
        Assert.Equal(["bob@example.test", "carl+tag@example.test"], recovered.Recipients.Select(r => r.Address));
        Assert.All(recovered.Recipients, r => Assert.Equal(RecipientStatus.Pending, r.Status));
        Assert.Equal(["body:0123abcd"], recovered.Fingerprints);
        Assert.Equal(content.Length, recovered.Size);
        Assert.Equal(message.ReceivedAt, recovered.ReceivedAt);
        Assert.Equal(content, await second.ReadContentAsync(message.QueueId, CancellationToken.None));
        Assert.Equal(message.QueueId, Assert.Single(scheduler.Scheduled).QueueId);
    }

    [Fact]
    public async Task Store_HandsMessageToSchedulerAndLeavesNothingInTmp()
    {
        var scheduler = new RecordingScheduler();
        var spool = SpoolFactory.Create(_dataDir.Path, scheduler);
        var message = SpoolFactory.Message(spool, "", "bob@example.test");

        await spool.StoreAsync(message, SpoolFactory.Content(), CancellationToken.None);

        Assert.Equal(message.QueueId, Assert.Single(scheduler.Scheduled).QueueId);
        Assert.Empty(Directory.EnumerateFileSystemEntries(spool.TmpDirectory));
        Assert.True(File.Exists(Path.Combine(spool.QueueDirectory, message.QueueId + ".json")));
        Assert.True(File.Exists(Path.Combine(spool.QueueDirectory, message.QueueId + ".eml")));
        Assert.Equal(Path.Combine(_dataDir.Path, "spool"), spool.SpoolDirectory);
    }

    [Fact]
    public async Task Store_ContentWithNulAndEightBit_IsKeptByteExact()
    {
        var spool = SpoolFactory.Create(_dataDir.Path);
        var message = SpoolFactory.Message(spool, "ann@example.net", "bob@example.test");
        byte[] content = [.. "Subject: x\r\n\r\n"u8, 0, 0xFF, 0xC3, 0xA9, (byte)'\r', (byte)'\n'];

        await spool.StoreAsync(message, content, CancellationToken.None);

        var stored = Path.Combine(spool.QueueDirectory, message.QueueId + ".eml");
        Assert.Equal(content, await File.ReadAllBytesAsync(stored));
    }

    [Fact]
    public async Task Recovery_OrphanContentAndTmpLeftovers_AreRemoved()
    {
        // Arrange: a queued message, plus what a crash mid-store leaves behind.
        var spool = SpoolFactory.Create(_dataDir.Path);
        var kept = SpoolFactory.Message(spool, "ann@example.net", "bob@example.test");
        await spool.StoreAsync(kept, SpoolFactory.Content(), CancellationToken.None);
        var orphan = Path.Combine(spool.QueueDirectory, spool.NewQueueId() + ".eml");
        await File.WriteAllTextAsync(orphan, "never acknowledged");
        var tmpLeftover = Path.Combine(spool.TmpDirectory, spool.NewQueueId() + ".json");
        await File.WriteAllTextAsync(tmpLeftover, "{");
        Directory.CreateDirectory(Path.Combine(spool.TmpDirectory, "stray-dir"));

        // Act
        var logger = new ListLogger<FileMessageSpool>();
        var recovered = SpoolFactory.Create(_dataDir.Path, logger: logger);
        await recovered.EnsureRecoveredAsync(CancellationToken.None);

        // Assert
        Assert.False(File.Exists(orphan));
        Assert.Empty(Directory.EnumerateFileSystemEntries(recovered.TmpDirectory));
        Assert.Equal(kept.QueueId, Assert.Single(recovered.Messages).QueueId);
        Assert.Equal(3, logger.Names.Count(n => n == "SpoolOrphanRemoved"));
        Assert.Contains("SpoolRecovered", logger.Names);
    }

    [Theory]
    [InlineData("{ this is not json")]
    [InlineData("[1, 2, 3]")]
    [InlineData("{\"QueueId\":\"@ID@\",\"MailFrom\":\"\","
        + "\"Recipients\":[{\"Address\":\"a@example.test\",\"Status\":\"Bogus\"}],"
        + "\"ClientAddress\":\"1.2.3.4\",\"Size\":3}")]
    [InlineData("{\"QueueId\":\"@ID@\",\"MailFrom\":\"\",\"Recipients\":[null],"
        + "\"ClientAddress\":\"1.2.3.4\",\"Size\":3}")]
    [InlineData("null")]
    [InlineData("{\"QueueId\":\"X\"}")]
    [InlineData("{\"QueueId\":\"OTHERID\",\"MailFrom\":\"\",\"Recipients\":[{\"Address\":\"a@example.test\"}],"
        + "\"ClientAddress\":\"1.2.3.4\",\"Size\":3}")]
    [InlineData("{\"QueueId\":\"@ID@\",\"MailFrom\":\"\",\"Recipients\":[],\"ClientAddress\":\"1.2.3.4\",\"Size\":3}")]
    [InlineData("{\"QueueId\":\"@ID@\",\"MailFrom\":\"\",\"Recipients\":[{\"Address\":\"a@example.test\"}],"
        + "\"ClientAddress\":\"1.2.3.4\",\"Size\":99}")]
    public async Task Recovery_CorruptEnvelope_IsSetAsideWithErrorAndStartGoesOn(string envelope)
    {
        // Arrange: one good message and one bad envelope (with content of 3 octets).
        var spool = SpoolFactory.Create(_dataDir.Path);
        var good = SpoolFactory.Message(spool, "ann@example.net", "bob@example.test");
        await spool.StoreAsync(good, SpoolFactory.Content(), CancellationToken.None);
        var badId = spool.NewQueueId();
        await File.WriteAllTextAsync(
            Path.Combine(spool.QueueDirectory, badId + ".json"), envelope.Replace("@ID@", badId));
        await File.WriteAllTextAsync(Path.Combine(spool.QueueDirectory, badId + ".eml"), "abc");

        // Act
        var logger = new ListLogger<FileMessageSpool>();
        var recovered = SpoolFactory.Create(_dataDir.Path, logger: logger);
        await recovered.EnsureRecoveredAsync(CancellationToken.None);

        // Assert
        Assert.Equal(good.QueueId, Assert.Single(recovered.Messages).QueueId);
        Assert.False(File.Exists(Path.Combine(recovered.QueueDirectory, badId + ".json")));
        Assert.False(File.Exists(Path.Combine(recovered.QueueDirectory, badId + ".eml")));
        Assert.True(File.Exists(Path.Combine(recovered.CorruptDirectory, badId + ".json")));
        Assert.True(File.Exists(Path.Combine(recovered.CorruptDirectory, badId + ".eml")));
        Assert.False(string.IsNullOrWhiteSpace(
            await File.ReadAllTextAsync(Path.Combine(recovered.CorruptDirectory, badId + ".error.txt"))));
        Assert.Contains("SpoolCorruptEnvelope", logger.Names);
    }

    [Fact]
    public async Task Recovery_EnvelopeWithoutContent_IsSetAside()
    {
        var spool = SpoolFactory.Create(_dataDir.Path);
        var message = SpoolFactory.Message(spool, "ann@example.net", "bob@example.test");
        await spool.StoreAsync(message, SpoolFactory.Content(), CancellationToken.None);
        File.Delete(Path.Combine(spool.QueueDirectory, message.QueueId + ".eml"));

        var recovered = SpoolFactory.Create(_dataDir.Path);
        await recovered.EnsureRecoveredAsync(CancellationToken.None);

        Assert.Empty(recovered.Messages);
        Assert.True(File.Exists(Path.Combine(recovered.CorruptDirectory, message.QueueId + ".json")));
    }

    [Fact]
    public async Task Recovery_MessageWithNoPendingRecipient_IsRemoved()
    {
        var spool = SpoolFactory.Create(_dataDir.Path);
        var message = SpoolFactory.Message(spool, "ann@example.net", "bob@example.test");
        await spool.StoreAsync(message, SpoolFactory.Content(), CancellationToken.None);
        var queued = spool.Find(message.QueueId)!;
        queued.Recipients[0].Status = RecipientStatus.Delivered;
        await spool.SaveAsync(queued, CancellationToken.None);

        var recovered = SpoolFactory.Create(_dataDir.Path);
        await recovered.EnsureRecoveredAsync(CancellationToken.None);

        Assert.Empty(recovered.Messages);
        Assert.Empty(Directory.EnumerateFiles(recovered.QueueDirectory));
    }

    [Fact]
    public async Task Save_UpdatedState_IsWhatTheNextStartSees()
    {
        var spool = SpoolFactory.Create(_dataDir.Path);
        var message = SpoolFactory.Message(spool, "ann@example.net", "bob@example.test", "eve@example.test");
        await spool.StoreAsync(message, SpoolFactory.Content(), CancellationToken.None);
        var queued = spool.Find(message.QueueId)!;
        queued.Attempts = 3;
        queued.Recipients[0].Status = RecipientStatus.Delivered;
        queued.Recipients[1].LastResult = "451 4.2.0 try later";
        queued.NextAttemptAt = DateTimeOffset.UtcNow.AddMinutes(7);

        await spool.SaveAsync(queued, CancellationToken.None);
        var recovered = SpoolFactory.Create(_dataDir.Path);
        await recovered.EnsureRecoveredAsync(CancellationToken.None);

        var state = recovered.Find(message.QueueId)!;
        Assert.Equal(3, state.Attempts);
        Assert.Equal(RecipientStatus.Delivered, state.Recipients[0].Status);
        Assert.Equal(RecipientStatus.Pending, state.Recipients[1].Status);
        Assert.Equal("451 4.2.0 try later", state.Recipients[1].LastResult);
        Assert.Equal(queued.NextAttemptAt, state.NextAttemptAt);
        Assert.Empty(Directory.EnumerateFileSystemEntries(spool.TmpDirectory));

        // Statuses are stored by name, so reordering the enum cannot change them.
        var json = await File.ReadAllTextAsync(Path.Combine(spool.QueueDirectory, message.QueueId + ".json"));
        Assert.Contains("\"Delivered\"", json);
        Assert.DoesNotContain("PendingRecipients", json);
    }

    [Fact]
    public async Task Remove_DeletesEnvelopeAndContent()
    {
        var spool = SpoolFactory.Create(_dataDir.Path);
        var message = SpoolFactory.Message(spool, "ann@example.net", "bob@example.test");
        await spool.StoreAsync(message, SpoolFactory.Content(), CancellationToken.None);

        spool.Remove(message.QueueId);

        Assert.Null(spool.Find(message.QueueId));
        Assert.Empty(Directory.EnumerateFiles(spool.QueueDirectory));
    }

    [Theory]
    [InlineData("")]
    [InlineData("../escape")]
    [InlineData("a/b")]
    [InlineData(".hidden")]
    [InlineData("with space")]
    public async Task Store_UnsafeQueueId_Throws(string queueId)
    {
        var spool = SpoolFactory.Create(_dataDir.Path);
        var message = new QueuedMessage
        {
            QueueId = queueId,
            MailFrom = "",
            Recipients = [new QueuedRecipient { Address = "bob@example.test" }],
            ClientAddress = "192.0.2.1",
        };

        await Assert.ThrowsAsync<ArgumentException>(
            () => spool.StoreAsync(message, "x"u8.ToArray(), CancellationToken.None));
    }

    [Fact]
    public async Task Store_NoRecipients_Throws()
    {
        var spool = SpoolFactory.Create(_dataDir.Path);
        var message = SpoolFactory.Message(spool, "ann@example.net");

        await Assert.ThrowsAsync<ArgumentException>(
            () => spool.StoreAsync(message, "x"u8.ToArray(), CancellationToken.None));
    }

    [Fact]
    public async Task Store_SameQueueIdTwice_SecondThrowsAndFirstStaysIntact()
    {
        var spool = SpoolFactory.Create(_dataDir.Path);
        var message = SpoolFactory.Message(spool, "ann@example.net", "bob@example.test");
        await spool.StoreAsync(message, SpoolFactory.Content("first"), CancellationToken.None);

        var again = SpoolFactory.Message(spool, "eve@example.net", "bob@example.test");
        var clash = new QueuedMessage
        {
            QueueId = message.QueueId,
            MailFrom = again.MailFrom,
            Recipients = again.Recipients,
            ClientAddress = again.ClientAddress,
        };
        await Assert.ThrowsAsync<InvalidOperationException>(
            () => spool.StoreAsync(clash, SpoolFactory.Content("second"), CancellationToken.None));

        Assert.Equal(
            SpoolFactory.Content("first"), await spool.ReadContentAsync(message.QueueId, CancellationToken.None));
    }

    [Fact]
    public async Task Store_WhenSpoolCannotBeWritten_ThrowsAndQueuesNothing()
    {
        // Arrange: a file where the staging folder should be makes every write fail.
        var scheduler = new RecordingScheduler();
        var spool = SpoolFactory.Create(_dataDir.Path, scheduler);
        await spool.EnsureRecoveredAsync(CancellationToken.None);
        Directory.Delete(spool.TmpDirectory);
        await File.WriteAllTextAsync(spool.TmpDirectory, "in the way");
        var message = SpoolFactory.Message(spool, "ann@example.net", "bob@example.test");

        // Act + Assert
        await Assert.ThrowsAnyAsync<IOException>(
            () => spool.StoreAsync(message, SpoolFactory.Content(), CancellationToken.None));
        Assert.Empty(spool.Messages);
        Assert.Empty(scheduler.Scheduled);
        Assert.Empty(Directory.EnumerateFiles(spool.QueueDirectory));
    }

    [Fact]
    public async Task Store_WithoutReceivedAt_StampsArrivalTime()
    {
        var spool = SpoolFactory.Create(_dataDir.Path);
        var message = new QueuedMessage
        {
            QueueId = spool.NewQueueId(),
            MailFrom = "",
            Recipients = [new QueuedRecipient { Address = "bob@example.test" }],
            ClientAddress = "192.0.2.1",
        };
        var before = DateTimeOffset.UtcNow;

        await spool.StoreAsync(message, "x"u8.ToArray(), CancellationToken.None);

        var queued = spool.Find(message.QueueId)!;
        Assert.InRange(queued.ReceivedAt, before.AddSeconds(-1), DateTimeOffset.UtcNow.AddSeconds(1));
    }

    [Fact]
    public async Task GetStatus_CountsMessagesPendingRecipientsAndOldestAge()
    {
        var spool = SpoolFactory.Create(_dataDir.Path);
        Assert.Equal(0, spool.GetStatus().Messages);
        Assert.Equal(0, spool.GetStatus().OldestAgeSeconds);

        var old = new QueuedMessage
        {
            QueueId = spool.NewQueueId(),
            MailFrom = "",
            Recipients =
            [
                new QueuedRecipient { Address = "a@example.test" },
                new QueuedRecipient { Address = "b@example.test" },
            ],
            ClientAddress = "192.0.2.1",
            ReceivedAt = DateTimeOffset.UtcNow.AddMinutes(-10),
        };
        await spool.StoreAsync(old, "x"u8.ToArray(), CancellationToken.None);
        var recent = SpoolFactory.Message(spool, "", "c@example.test");
        await spool.StoreAsync(recent, "y"u8.ToArray(), CancellationToken.None);
        spool.Find(old.QueueId)!.Recipients[0].Status = RecipientStatus.Delivered;

        var status = spool.GetStatus();

        Assert.Equal(2, status.Messages);
        Assert.Equal(2, status.RecipientsPending);
        Assert.InRange(status.OldestAgeSeconds, 599, 660);
    }

    [Fact]
    public void NewQueueId_IsSafeForTheSpool()
    {
        var spool = SpoolFactory.Create(_dataDir.Path);
        var id = spool.NewQueueId();
        Assert.True(FileMessageSpool.IsSafeQueueId(id));
        Assert.True(QueueIdGenerator.IsValid(id));
        Assert.True(Encoding.ASCII.GetByteCount(id) == QueueIdGenerator.Length);
    }
}
