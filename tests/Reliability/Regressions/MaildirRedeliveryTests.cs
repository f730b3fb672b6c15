using Gateway.Common.Configuration;
using Gateway.MtaEdge.Delivery;
using Gateway.MtaEdge.Queue;

namespace Gateway.Reliability.Tests.Regressions;

/// <summary>
/// Found by the crash test: a process killed after a message reached the mailbox but before the spool recorded
/// it delivers the message again after the restart (63 duplicates in 20 kills). Delivery into a Maildir must
/// therefore be idempotent per (queue id, recipient): a second attempt finds the first copy and reports it.
/// </summary>
public sealed class MaildirRedeliveryTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "gw-rel-maildir-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task DeliverAsync_SameMessageAgainAfterCrash_LeavesOneCopyAndReportsDelivered()
    {
        var message = Message("ada@example.test", "bob@example.test");
        var content = "Subject: once\r\n\r\nonly once\r\n"u8.ToArray();

        // The first process delivered, then died before saving the outcome: a new target (new process) tries again.
        var first = await NewTarget().DeliverAsync(message, content, message.Recipients, CancellationToken.None);
        var second = await NewTarget().DeliverAsync(message, content, message.Recipients, CancellationToken.None);

        Assert.All(first, r => Assert.Equal(DeliveryOutcome.Delivered, r.Outcome));
        Assert.All(second, r => Assert.Equal(DeliveryOutcome.Delivered, r.Outcome));
        Assert.Single(Files("ada"));
        Assert.Single(Files("bob"));
        Assert.Equal(first[0].Location, second[0].Location);
    }

    [Fact]
    public async Task DeliverAsync_AfterMailReaderMovedTheCopyToCur_DoesNotDeliverAgain()
    {
        var message = Message("ada@example.test");
        var content = "Subject: read\r\n\r\nalready read\r\n"u8.ToArray();
        var first = await NewTarget().DeliverAsync(message, content, message.Recipients, CancellationToken.None);

        // What Dovecot does when a client first sees the message: new/<name> becomes cur/<name>:2,
        var delivered = first[0].Location!;
        var cur = Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(delivered))!, "cur");
        File.Move(delivered, Path.Combine(cur, Path.GetFileName(delivered) + ":2,"));

        var second = await NewTarget().DeliverAsync(message, content, message.Recipients, CancellationToken.None);
        Assert.Equal(DeliveryOutcome.Delivered, second[0].Outcome);
        Assert.Single(Files("ada"));
    }

    [Fact]
    public async Task DeliverAsync_LeftoverTmpFileFromKilledWrite_IsReplacedAndDelivered()
    {
        var message = Message("ada@example.test");
        var content = "Subject: tmp\r\n\r\nwhole\r\n"u8.ToArray();
        var first = await NewTarget().DeliverAsync(message, content, message.Recipients, CancellationToken.None);

        // Simulate a write cut off by a kill: the copy only in tmp/, half written, nothing in new/.
        var delivered = first[0].Location!;
        var tmp = Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(delivered))!, "tmp",
            Path.GetFileName(delivered));
        File.Move(delivered, tmp);
        File.WriteAllText(tmp, "Subj");

        var second = await NewTarget().DeliverAsync(message, content, message.Recipients, CancellationToken.None);
        Assert.Equal(DeliveryOutcome.Delivered, second[0].Outcome);
        var only = Assert.Single(Files("ada"));
        Assert.EndsWith("whole\r\n", File.ReadAllText(only));
    }

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private MaildirDeliveryTarget NewTarget() => new(_root, new DomainSet(["example.test"]), "gw.test");

    private List<string> Files(string user) =>
        new[] { "new", "cur" }.Select(d => Path.Combine(_root, "example.test", user, d))
            .Where(Directory.Exists).SelectMany(Directory.GetFiles).ToList();

    private static QueuedMessage Message(params string[] recipients) => new()
    {
        QueueId = QueueIdGenerator.Next(),
        MailFrom = "sender@else.test",
        Recipients = recipients.Select(r => new QueuedRecipient { Address = r }).ToList(),
        ClientAddress = "127.0.0.1",
        ReceivedAt = DateTimeOffset.UtcNow,
    };
}
