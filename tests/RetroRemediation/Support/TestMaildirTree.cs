using System.Text;
using Gateway.Common.Mail;
using Gateway.V1;
using Google.Protobuf.WellKnownTypes;

namespace Gateway.RetroRemediation.Tests.Support;

/// <summary>
/// A temporary Maildir++ tree laid out like the edge writes it (<c>&lt;root&gt;/&lt;domain&gt;/&lt;mailbox&gt;/</c>),
/// with deliveries into new/ that come back as the <see cref="DeliveryRecord"/> the edge would send.
/// </summary>
public sealed class TestMaildirTree : IDisposable
{
    private static int _sequence;

    public TestMaildirTree()
    {
        Root = Path.Combine(Path.GetTempPath(), "gw-remediation-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    public string MaildirOf(string recipient)
    {
        EnvelopeAddress.TryParse(recipient, out var address);
        return Path.Combine(Root, address.Domain, address.MailboxName);
    }

    public string JunkOf(string recipient) => Path.Combine(MaildirOf(recipient), ".Junk");

    /// <summary>Writes one message into the recipient's new/ and returns its record.</summary>
    public DeliveryRecord Deliver(string recipient, params string[] fingerprints)
    {
        var maildir = MaildirOf(recipient);
        foreach (var sub in new[] { "tmp", "new", "cur" })
        {
            Directory.CreateDirectory(Path.Combine(maildir, sub));
        }

        var n = Interlocked.Increment(ref _sequence);
        var name = $"{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}.M{n}P{Environment.ProcessId}.test";
        var messageId = $"<{Guid.NewGuid():N}@remediation.test>";
        var content = Encoding.ASCII.GetBytes(
            $"From: sender@elsewhere.test\r\nTo: {recipient}\r\nSubject: test {n}\r\n"
            + $"Message-ID: {messageId}\r\n\r\nbody\r\n");
        var path = Path.Combine(maildir, "new", name);
        File.WriteAllBytes(path, content);
        var record = new DeliveryRecord
        {
            QueueId = $"q{n}-{Guid.NewGuid():N}",
            Recipient = recipient,
            Store = MailboxStoreKind.Maildir,
            Folder = "INBOX",
            Location = path,
            MessageId = messageId,
            Size = content.Length,
            DeliveredAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow),
        };
        record.Fingerprints.AddRange(fingerprints);
        return record;
    }

    /// <summary>The file names now in one folder's new/ and cur/, as "new/name" or "cur/name".</summary>
    public static IReadOnlyList<string> FilesIn(string folder) =>
        new[] { "new", "cur" }
            .Where(sub => Directory.Exists(Path.Combine(folder, sub)))
            .SelectMany(sub => Directory.EnumerateFiles(Path.Combine(folder, sub))
                .Select(f => $"{sub}/{Path.GetFileName(f)}"))
            .Order(StringComparer.Ordinal)
            .ToList();

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory is harmless.
        }
    }
}
