using System.Text;
using Gateway.MtaEdge.Delivery.Transfer;
using Gateway.MtaEdge.Queue;
using Gateway.MtaEdge.Tests.Delivery.Support;
using Gateway.MtaEdge.Tests.Queue.Support;
using Gateway.Testing;
using Gateway.V1;
using Xunit;

namespace Gateway.MtaEdge.Tests.Delivery;

public sealed class DeliveryWorkerTests
{
    [Fact]
    public async Task Worker_TemporaryRefusalThenAccepted_DeliversOnceAfterTwoAttempts()
    {
        // Arrange: the first connection answers RCPT with 451, the second with 250.
        await using var server = new FakeMailServer(TransferProtocol.Smtp)
        {
            RcptReply = (connection, _) => connection == 1 ? "451 4.2.0 Greylisted, try again" : "250 2.1.5 Ok",
        };
        await using var harness = new DeliveryHarness($"smtp://127.0.0.1:{server.Port}");
        await harness.StartAsync();

        // Act
        var queueId = await harness.QueueAsync("ann@example.net", SpoolFactory.Content(), "bob@example.test");

        // Assert
        Assert.True(await DeliveryHarness.EventuallyAsync(() => harness.Spool.Find(queueId) is null));
        Assert.Single(server.Received);
        Assert.Equal(2, server.Connections);
        var attempts = harness.WorkerLogger.Events.Where(e => e.EventName == "DeliveryAttempt").ToList();
        Assert.Equal(2, attempts.Count);
        Assert.Contains("Delivery attempt 1 of " + queueId, attempts[0].Message);
        Assert.Contains(": deferred,", attempts[0].Message);
        Assert.Contains("Delivery attempt 2 of " + queueId, attempts[1].Message);
        Assert.Contains(": delivered,", attempts[1].Message);
        Assert.Contains(harness.WorkerLogger.Events, e => e.EventName == "DeliveryRecipientDeferred"
            && e.Message.Contains("451 4.2.0 Greylisted"));

        var record = Assert.Single(harness.Remediation.Records);
        Assert.Equal(queueId, record.QueueId);
        Assert.Equal("bob@example.test", record.Recipient);
        Assert.Equal(MailboxStoreKind.Imap, record.Store);
        Assert.Equal("INBOX", record.Folder);
        Assert.Equal("", record.Location);
        Assert.Equal("<m1@client.example.net>", record.MessageId);
        Assert.Equal(["body:0123abcd"], record.Fingerprints);
        Assert.Equal(SpoolFactory.Content().Length, record.Size);
        Assert.InRange(
            record.DeliveredAt.ToDateTimeOffset(), DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow);
        Assert.Empty(Directory.EnumerateFiles(harness.Spool.QueueDirectory));
    }

    [Fact]
    public async Task Worker_LmtpOneRecipientDeferred_RetriesOnlyThatRecipient()
    {
        var bobAttempts = 0;
        await using var server = new FakeMailServer(TransferProtocol.Lmtp)
        {
            DataReply = (_, rcpt) => rcpt == "bob@example.test" && Interlocked.Increment(ref bobAttempts) == 1
                ? "452 4.2.2 Mailbox full"
                : "250 2.0.0 Saved",
        };
        await using var harness = new DeliveryHarness($"lmtp://127.0.0.1:{server.Port}");
        await harness.StartAsync();

        var queueId = await harness.QueueAsync("", SpoolFactory.Content(), "ann@example.test", "bob@example.test");

        Assert.True(await DeliveryHarness.EventuallyAsync(() => harness.Spool.Find(queueId) is null));
        var received = server.Received.ToList();
        Assert.Equal(2, received.Count);
        Assert.Equal(["ann@example.test", "bob@example.test"], received[0].Recipients);
        Assert.Equal(["bob@example.test"], received[1].Recipients);
        Assert.Equal(["ann@example.test", "bob@example.test"], harness.Remediation.Records.Select(r => r.Recipient));
    }

    [Fact]
    public async Task Worker_AfterEachDeferredAttempt_EnvelopeOnDiskHoldsAttemptsAndNextTime()
    {
        await using var server = new FakeMailServer(TransferProtocol.Smtp)
        {
            RcptReply = (_, _) => "451 4.3.0 Not now",
        };
        await using var harness = new DeliveryHarness(
            $"smtp://127.0.0.1:{server.Port}", o => o.RetryInitialDelay = o.RetryMaxDelay = TimeSpan.FromHours(1));
        await harness.StartAsync();

        var queueId = await harness.QueueAsync("", SpoolFactory.Content(), "bob@example.test");
        Assert.True(await DeliveryHarness.EventuallyAsync(
            () => harness.WorkerLogger.Names.Contains("DeliveryAttempt")));
        await harness.StopAsync();

        // A fresh spool reads what the worker saved.
        var reread = SpoolFactory.Create(harness.DataDir);
        await reread.EnsureRecoveredAsync(CancellationToken.None);
        var saved = reread.Find(queueId)!;
        Assert.Equal(1, saved.Attempts);
        Assert.Equal(RecipientStatus.Pending, saved.Recipients[0].Status);
        Assert.Equal("451 4.3.0 Not now", saved.Recipients[0].LastResult);
        Assert.InRange(saved.NextAttemptAt, DateTimeOffset.UtcNow.AddMinutes(40), DateTimeOffset.UtcNow.AddMinutes(80));
        Assert.Equal(1, server.Connections);
    }

    [Fact]
    public async Task Worker_PermanentRefusal_FailsRecipientAndReportsToLocalSender()
    {
        await using var server = new FakeMailServer(TransferProtocol.Smtp)
        {
            RcptReply = (_, rcpt) => rcpt == "bob@example.test"
                ? "550 5.1.1 <bob@example.test>: User unknown"
                : "250 2.1.5 Ok",
        };
        await using var harness = new DeliveryHarness($"smtp://127.0.0.1:{server.Port}");
        await harness.StartAsync();

        var queueId = await harness.QueueAsync(
            "ann@example.test", SpoolFactory.Content("Quarterly report"), "bob@example.test", "carl@example.test");

        // The original goes to carl; the report goes from <> back to ann through the same spool.
        Assert.True(await DeliveryHarness.EventuallyAsync(
            () => server.Received.Count == 2 && harness.Spool.Messages.Count == 0));
        Assert.Null(harness.Spool.Find(queueId));
        var report = Assert.Single(server.Received, m => m.MailFrom == "");
        Assert.Equal(["ann@example.test"], report.Recipients);
        var text = Encoding.UTF8.GetString(report.Data);
        Assert.Contains("Content-Type: multipart/report; report-type=delivery-status", text);
        Assert.Contains("Final-Recipient: rfc822; bob@example.test", text);
        Assert.Contains("Status: 5.1.1", text);
        Assert.Contains("Diagnostic-Code: smtp; 550 5.1.1 <bob@example.test>: User unknown", text);
        Assert.Contains("Subject: Quarterly report", text);
        Assert.DoesNotContain("carl@example.test", text);

        Assert.Contains(
            harness.WorkerLogger.Events, e => e.EventName == "DeliveryRecipientFailed" && e.Message.Contains(queueId));
        Assert.Equal(["carl@example.test", "ann@example.test"], harness.Remediation.Records.Select(r => r.Recipient));
        Assert.Contains("DeliveryReportQueued", harness.NotifierLogger.Names);
    }

    [Fact]
    public async Task Worker_PermanentRefusalFromRemoteSender_OnlyLogsTheFailure()
    {
        await using var server = new FakeMailServer(TransferProtocol.Smtp)
        {
            RcptReply = (_, _) => "550 5.1.1 No such user",
        };
        await using var harness = new DeliveryHarness($"smtp://127.0.0.1:{server.Port}");
        await harness.StartAsync();

        var queueId = await harness.QueueAsync("ann@example.net", SpoolFactory.Content(), "bob@example.test");

        Assert.True(await DeliveryHarness.EventuallyAsync(() => harness.Spool.Find(queueId) is null));
        Assert.Empty(server.Received);
        Assert.Empty(harness.Remediation.Records);
        Assert.Contains(harness.WorkerLogger.Events, e => e.EventName == "DeliveryRecipientFailed");
        Assert.Contains("DeliveryNoReportRemoteSender", harness.NotifierLogger.Names);
        Assert.Equal(1, server.Connections);
    }

    [Fact]
    public async Task Worker_ConnectionRefused_IsRetriedUntilTheServerListens()
    {
        var port = FreePort.Next();
        await using var harness = new DeliveryHarness($"smtp://127.0.0.1:{port}");
        await harness.StartAsync();
        var queueId = await harness.QueueAsync("", SpoolFactory.Content(), "bob@example.test");

        Assert.True(await DeliveryHarness.EventuallyAsync(
            () => harness.WorkerLogger.Names.Count(n => n == "DeliveryAttempt") >= 2));
        Assert.NotNull(harness.Spool.Find(queueId));
        Assert.Contains(harness.WorkerLogger.Events, e => e.EventName == "DeliveryRecipientDeferred"
            && e.Message.Contains("451 4.4.1"));

        await using var server = new FakeMailServer(TransferProtocol.Smtp, port);

        Assert.True(await DeliveryHarness.EventuallyAsync(() => harness.Spool.Find(queueId) is null));
        Assert.Single(server.Received);
    }

    [Fact]
    public async Task Worker_QueueLifetimeOver_FailsPendingRecipients()
    {
        await using var server = new FakeMailServer(TransferProtocol.Smtp)
        {
            RcptReply = (_, _) => "451 4.3.0 Not now",
        };
        await using var harness = new DeliveryHarness(
            $"smtp://127.0.0.1:{server.Port}", o => o.MaxQueueLifetime = TimeSpan.FromMilliseconds(500));
        await harness.StartAsync();

        var queueId = await harness.QueueAsync("", SpoolFactory.Content(), "bob@example.test");

        Assert.True(await DeliveryHarness.EventuallyAsync(() => harness.Spool.Find(queueId) is null));
        Assert.Contains(harness.WorkerLogger.Events, e => e.EventName == "DeliveryRecipientFailed"
            && e.Message.Contains("451 4.3.0 Not now (gave up"));
        Assert.Contains("DeliveryNoReportNullSender", harness.NotifierLogger.Names);
        Assert.True(server.Connections >= 1);
    }

    [Fact]
    public async Task Worker_MaildirTarget_WritesTheFileAndRecordsItsPath()
    {
        await using var harness = new DeliveryHarness("");
        await harness.StartAsync();

        var queueId = await harness.QueueAsync("ann@example.net", SpoolFactory.Content(), "Bob+x@example.test");

        Assert.True(await DeliveryHarness.EventuallyAsync(() => harness.Spool.Find(queueId) is null));
        var record = Assert.Single(harness.Remediation.Records);
        Assert.Equal(MailboxStoreKind.Maildir, record.Store);
        Assert.Equal("Bob+x@example.test", record.Recipient);
        Assert.StartsWith(Path.Combine(harness.DataDir, "mail", "example.test", "bob", "new") + "/", record.Location);
        Assert.True(File.Exists(record.Location));
    }

    [Fact]
    public async Task Worker_RemediationDown_DeliversOnceAndLogs()
    {
        await using var server = new FakeMailServer(TransferProtocol.Smtp);
        await using var harness = new DeliveryHarness($"smtp://127.0.0.1:{server.Port}");
        harness.Remediation.Fail = true;
        await harness.StartAsync();

        var queueId = await harness.QueueAsync("", SpoolFactory.Content(), "bob@example.test", "carl@example.test");

        Assert.True(await DeliveryHarness.EventuallyAsync(() => harness.Spool.Find(queueId) is null));
        await Task.Delay(300);
        Assert.Single(server.Received);
        Assert.Equal(2, harness.WorkerLogger.Names.Count(n => n == "DeliveryRecordFailed"));
    }

    [Fact]
    public async Task Worker_RecoveredAtStart_DeliversWhatAPreviousRunQueued()
    {
        await using var server = new FakeMailServer(TransferProtocol.Smtp);
        var dataDir = new TempDirectory();
        var earlier = SpoolFactory.Create(dataDir.Path);
        var message = SpoolFactory.Message(earlier, "", "bob@example.test");
        await earlier.StoreAsync(message, SpoolFactory.Content(), CancellationToken.None);

        await using var harness = new DeliveryHarness($"smtp://127.0.0.1:{server.Port}", dataDir: dataDir);
        await harness.StartAsync();

        Assert.True(await DeliveryHarness.EventuallyAsync(() => server.Received.Count == 1));
        Assert.True(await DeliveryHarness.EventuallyAsync(() => harness.Spool.Find(message.QueueId) is null));
        Assert.Equal(SpoolFactory.Content(), Assert.Single(server.Received).Data);
    }

    [Fact]
    public async Task Worker_StopWhileDelivering_FinishesTheAttemptAndLeavesTheRestQueued()
    {
        // The server takes a while to answer the data, long enough to ask the worker to stop meanwhile.
        await using var server = new FakeMailServer(TransferProtocol.Smtp)
        {
            DataReply = (_, _) =>
            {
                Thread.Sleep(500);
                return "250 2.0.0 Ok";
            },
        };
        await using var harness = new DeliveryHarness($"smtp://127.0.0.1:{server.Port}");
        await harness.StartAsync();

        var inFlight = await harness.QueueAsync("", SpoolFactory.Content(), "bob@example.test");
        Assert.True(await DeliveryHarness.EventuallyAsync(() => server.Received.Count == 1));
        var later = SpoolFactory.Message(harness.Spool, "", "carl@example.test");
        later.NextAttemptAt = DateTimeOffset.UtcNow.AddHours(1);
        await harness.Spool.StoreAsync(later, SpoolFactory.Content(), CancellationToken.None);

        await harness.StopAsync();

        Assert.Null(harness.Spool.Find(inFlight));
        Assert.Single(harness.Remediation.Records);
        Assert.NotNull(harness.Spool.Find(later.QueueId));
        Assert.True(File.Exists(Path.Combine(harness.Spool.QueueDirectory, later.QueueId + ".json")));
        Assert.Contains("DeliveryStopping", harness.WorkerLogger.Names);
    }
}
