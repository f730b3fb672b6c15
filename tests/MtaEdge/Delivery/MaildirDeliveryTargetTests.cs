using System.Text;
using System.Text.RegularExpressions;
using Gateway.Common.Configuration;
using Gateway.MtaEdge.Delivery;
using Gateway.MtaEdge.Queue;
using Gateway.MtaEdge.Tests.Queue.Support;
using Gateway.V1;
using Xunit;

namespace Gateway.MtaEdge.Tests.Delivery;

public sealed class MaildirDeliveryTargetTests : IDisposable
{
    private readonly TempDirectory _root = new();
    private readonly MaildirDeliveryTarget _target;

    public MaildirDeliveryTargetTests()
    {
        _target = new MaildirDeliveryTarget(
            _root.Path, new DomainSet(["example.test", "Other.Test."]), "mx.example.test");
    }

    public void Dispose() => _root.Dispose();

    [Fact]
    public async Task Deliver_FirstUse_CreatesMaildirAndWritesIntoNew()
    {
        var (message, recipients) = Message("ann@example.test");

        var result = Assert.Single(await _target.DeliverAsync(message, Content(), recipients, CancellationToken.None));

        Assert.Equal(DeliveryOutcome.Delivered, result.Outcome);
        Assert.StartsWith("250 2.0.0", result.Reply);
        var mailbox = Path.Combine(_root.Path, "example.test", "ann");
        Assert.True(Directory.Exists(Path.Combine(mailbox, "tmp")));
        Assert.True(Directory.Exists(Path.Combine(mailbox, "cur")));
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(mailbox, "tmp")));
        var file = Assert.Single(Directory.EnumerateFiles(Path.Combine(mailbox, "new")));
        Assert.Equal(file, result.Location);
        Assert.True(Path.IsPathFullyQualified(result.Location));
        Assert.Equal(MailboxStoreKind.Maildir, _target.StoreKind);
    }

    [Fact]
    public async Task Deliver_ContentWithNulAndEightBit_IsStoredByteExactAfterTraceHeaders()
    {
        byte[] content = [.. "Subject: bytes\r\n\r\n"u8, 0, 1, 0xFF, 0xFE, .. "\r\n.dot\r\n"u8];
        var (message, recipients) = Message("ann@example.test");

        var result = Assert.Single(await _target.DeliverAsync(message, content, recipients, CancellationToken.None));

        var stored = await File.ReadAllBytesAsync(result.Location);
        var trace = Encoding.UTF8.GetBytes("Return-Path: <sender@example.net>\r\nDelivered-To: ann@example.test\r\n");
        Assert.Equal([.. trace, .. content], stored);
    }

    [Fact]
    public async Task Deliver_FileName_FollowsMaildirConventionWithSize()
    {
        var (message, recipients) = Message("ann@example.test");

        var result = Assert.Single(await _target.DeliverAsync(message, Content(), recipients, CancellationToken.None));

        var name = Path.GetFileName(result.Location);
        // <received sec>.Q<queue id>R<recipient index>.<host>,S=<size>: the same on every attempt (see
        // MaildirRedeliveryTests in tests/Reliability), unique because queue ids are.
        var match = Regex.Match(name, @"^(\d+)\.Q([0-9A-Z]+)R(\d+)\.mx\.example\.test,S=(\d+)$");
        Assert.True(match.Success, name);
        Assert.Equal(new FileInfo(result.Location).Length, long.Parse(match.Groups[4].Value));
        Assert.Equal(message.QueueId, match.Groups[2].Value);
        Assert.Equal("0", match.Groups[3].Value);
        Assert.InRange(long.Parse(match.Groups[1].Value), DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 60,
            DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 1);
    }

    [Fact]
    public async Task Deliver_ManyCopiesAtOnce_GetUniqueNames()
    {
        var messages = Enumerable.Range(0, 4).Select(_ => Message(Enumerable.Repeat("ann@example.test", 50).ToArray()));

        var results = await Task.WhenAll(messages.Select(
            m => _target.DeliverAsync(m.Message, Content(), m.Recipients, CancellationToken.None)));

        var locations = results.SelectMany(r => r).Select(r => r.Location).ToList();
        Assert.Equal(200, locations.Distinct().Count());
        Assert.Equal(200, Directory.EnumerateFiles(Path.Combine(_root.Path, "example.test", "ann", "new")).Count());
    }

    [Fact]
    public async Task Deliver_SubaddressAndCase_LandInTheMailboxOfTheAddress()
    {
        var (message, recipients) = Message("Ann+News@Example.Test", "\"ann\"@other.test");

        var results = await _target.DeliverAsync(message, Content(), recipients, CancellationToken.None);

        Assert.All(results, r => Assert.Equal(DeliveryOutcome.Delivered, r.Outcome));
        Assert.StartsWith(Path.Combine(_root.Path, "example.test", "ann", "new") + "/", results[0].Location);
        Assert.StartsWith(Path.Combine(_root.Path, "other.test", "ann", "new") + "/", results[1].Location);
    }

    [Theory]
    [InlineData("../../escape@example.test", "%2E%2E%2F.%2E%2Fescape")]
    [InlineData(".Junk@example.test", "%2Ejunk")]
    [InlineData("\"..\"@example.test", "%2E%2E")]
    [InlineData("\"a/b\\0c\"@example.test", "a%2Fb%5C0c")]
    [InlineData("\"\"@example.test", "%empty")]
    public async Task Deliver_HostileLocalPart_StaysInsideTheDomainDirectory(string address, string mailbox)
    {
        var (message, recipients) = Message(address);

        var result = Assert.Single(await _target.DeliverAsync(message, Content(), recipients, CancellationToken.None));

        Assert.Equal(DeliveryOutcome.Delivered, result.Outcome);
        Assert.Equal(Path.Combine(_root.Path, "example.test", mailbox, "new"), Path.GetDirectoryName(result.Location));
        Assert.Equal(["example.test"], Directory.EnumerateFileSystemEntries(_root.Path).Select(Path.GetFileName));
        Assert.Equal(
            [mailbox],
            Directory.EnumerateFileSystemEntries(Path.Combine(_root.Path, "example.test")).Select(Path.GetFileName));
    }

    [Theory]
    [InlineData("bob@elsewhere.test", "550 5.1.2")]
    [InlineData("bob@../etc", "550 5.1.2")]
    [InlineData("no-at-sign", "550 5.1.3")]
    public async Task Deliver_RecipientOutsideLocalDomains_FailsForGoodAndWritesNothing(string address, string reply)
    {
        var (message, recipients) = Message(address);

        var result = Assert.Single(await _target.DeliverAsync(message, Content(), recipients, CancellationToken.None));

        Assert.Equal(DeliveryOutcome.PermanentFailure, result.Outcome);
        Assert.StartsWith(reply, result.Reply);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_root.Path));
    }

    [Fact]
    public async Task Deliver_WhenTheMailboxCannotBeWritten_FailsTemporarily()
    {
        // A file where the domain directory belongs.
        await File.WriteAllTextAsync(Path.Combine(_root.Path, "example.test"), "in the way");
        var (message, recipients) = Message("ann@example.test");

        var result = Assert.Single(await _target.DeliverAsync(message, Content(), recipients, CancellationToken.None));

        Assert.Equal(DeliveryOutcome.TemporaryFailure, result.Outcome);
        Assert.StartsWith("451 4.3.0", result.Reply);
    }

    private static byte[] Content() => SpoolFactory.Content();

    private static (QueuedMessage Message, List<QueuedRecipient> Recipients) Message(params string[] recipients)
    {
        var list = recipients.Select(r => new QueuedRecipient { Address = r }).ToList();
        var message = new QueuedMessage
        {
            QueueId = QueueIdGenerator.Next(),
            MailFrom = "sender@example.net",
            Recipients = list,
            ClientAddress = "192.0.2.1",
            ReceivedAt = DateTimeOffset.UtcNow,
        };
        return (message, list);
    }
}
