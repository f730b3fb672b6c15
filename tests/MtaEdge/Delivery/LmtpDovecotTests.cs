using System.Text;
using Gateway.MtaEdge.Delivery;
using Gateway.MtaEdge.Queue;
using Gateway.MtaEdge.Tests.Delivery.Support;
using Gateway.Testing;
using Gateway.V1;
using Xunit;

namespace Gateway.MtaEdge.Tests.Delivery;

/// <summary>LMTP delivery into the real Dovecot that tools/test.sh starts.</summary>
public sealed class LmtpDovecotTests
{
    [RequiresFact(TestEnvironment.LmtpVariable, TestEnvironment.DovecotMailVariable)]
    public async Task Lmtp_TwoRecipients_LandInTheirDovecotMaildirs()
    {
        var (host, port) = TestEnvironment.HostPort(TestEnvironment.LmtpVariable);
        var target = new LmtpDeliveryTarget(
            new DeliveryTargetAddress(DeliveryTargetKind.Lmtp, "", host, port),
            new DeliveryOptions { ConnectTimeout = TimeSpan.FromSeconds(5), CommandTimeout = TimeSpan.FromSeconds(30) },
            "mx.example.test");
        var tag = Guid.NewGuid().ToString("N")[..12];
        var recipients = new List<QueuedRecipient>
        {
            new() { Address = $"q{tag}a@example.test" },
            new() { Address = $"Q{tag}B+news@Example.test" },
        };
        var message = new QueuedMessage
        {
            QueueId = QueueIdGenerator.Next(),
            MailFrom = "sender@example.net",
            Recipients = recipients,
            ClientAddress = "192.0.2.1",
        };
        var content = Encoding.ASCII.GetBytes(
            $"From: sender@example.net\r\nTo: q{tag}a@example.test\r\nSubject: lmtp {tag}\r\n"
            + $"Message-ID: <{tag}@example.net>\r\n\r\nHello\r\n.dot line\r\n");

        var results = await target.DeliverAsync(message, content, recipients, CancellationToken.None);

        Assert.All(results, r => Assert.Equal(DeliveryOutcome.Delivered, r.Outcome));
        Assert.All(results, r => Assert.StartsWith("250 2.0.0", r.Reply));
        var mail = TestEnvironment.Require(TestEnvironment.DovecotMailVariable);
        foreach (var user in new[] { $"q{tag}a", $"q{tag}b" })
        {
            var file = Assert.Single(Directory.EnumerateFiles(Path.Combine(mail, "example.test", user, "new")));
            var stored = await File.ReadAllTextAsync(file);
            Assert.Contains($"Subject: lmtp {tag}", stored);
            Assert.Contains("\n.dot line", stored);
            Assert.DoesNotContain("..dot line", stored);
        }
    }

    [RequiresFact(TestEnvironment.LmtpVariable, TestEnvironment.DovecotMailVariable)]
    public async Task Worker_LmtpTarget_DeliversQueuedMessageAndRecordsImapCopies()
    {
        var lmtp = TestEnvironment.Require(TestEnvironment.LmtpVariable);
        await using var harness = new DeliveryHarness("lmtp://" + lmtp);
        await harness.StartAsync();
        var tag = Guid.NewGuid().ToString("N")[..12];

        var queueId = await harness.QueueAsync(
            "", Encoding.ASCII.GetBytes($"Subject: worker {tag}\r\n\r\nbody\r\n"), $"w{tag}@example.test");

        Assert.True(await DeliveryHarness.EventuallyAsync(() => harness.Spool.Find(queueId) is null));
        var record = Assert.Single(harness.Remediation.Records);
        Assert.Equal(MailboxStoreKind.Imap, record.Store);
        Assert.Equal("", record.Location);
        var mail = TestEnvironment.Require(TestEnvironment.DovecotMailVariable);
        var file = Assert.Single(Directory.EnumerateFiles(Path.Combine(mail, "example.test", $"w{tag}", "new")));
        Assert.Contains($"Subject: worker {tag}", await File.ReadAllTextAsync(file));
    }
}
