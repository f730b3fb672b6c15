using System.Text;
using Gateway.Common.Configuration;
using Gateway.Common.Mail;
using Gateway.MtaEdge.Delivery.Maildir;
using Gateway.MtaEdge.Queue;
using Gateway.V1;

namespace Gateway.MtaEdge.Delivery;

/// <summary>
/// Final delivery into a Maildir++ tree laid out as Dovecot reads it with
/// <c>mail_location = maildir:&lt;root&gt;/%d/%n</c>: <c>&lt;root&gt;/&lt;domain&gt;/&lt;mailbox&gt;/{tmp,new,cur}</c>.
/// Each file is written to tmp/, synced, then renamed into new/, so a reader never sees half a
/// message (the Maildir protocol).
/// </summary>
public sealed class MaildirDeliveryTarget : IDeliveryTarget
{
    private readonly string _root;
    private readonly DomainSet _domains;
    private readonly MaildirFileNames _fileNames;
    private readonly TimeProvider _time;

    public MaildirDeliveryTarget(string root, DomainSet domains, string hostname, TimeProvider? time = null)
    {
        _root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        _domains = domains;
        _fileNames = new MaildirFileNames(hostname);
        _time = time ?? TimeProvider.System;
    }

    public string Description => "maildir:" + _root;

    public MailboxStoreKind StoreKind => MailboxStoreKind.Maildir;

    public async Task<IReadOnlyList<RecipientDeliveryResult>> DeliverAsync(
        QueuedMessage message,
        ReadOnlyMemory<byte> content,
        IReadOnlyList<QueuedRecipient> recipients,
        CancellationToken cancellationToken)
    {
        var results = new List<RecipientDeliveryResult>(recipients.Count);
        foreach (var recipient in recipients)
        {
            cancellationToken.ThrowIfCancellationRequested();
            results.Add(await DeliverOneAsync(message, content, recipient, cancellationToken));
        }

        return results;
    }

    /// <summary>The mailbox directory of a recipient; null, with the refusal, when there is none.</summary>
    internal string? ResolveMailboxDirectory(QueuedRecipient recipient, out RecipientDeliveryResult? refusal)
    {
        refusal = null;
        if (!EnvelopeAddress.TryParse(recipient.Address, out var parsed))
        {
            refusal = RecipientDeliveryResult.Permanent(recipient, "550 5.1.3 Recipient address syntax is invalid");
            return null;
        }

        // The edge accepted only local domains, but the spool is a file anyone with access can edit
        // and the configuration may have changed since: the domain becomes a directory, so check again.
        var domain = DomainSet.Normalize(parsed.Domain);
        if (!_domains.IsLocal(domain))
        {
            refusal = RecipientDeliveryResult.Permanent(recipient, $"550 5.1.2 {domain} is not a local domain");
            return null;
        }

        if (!MaildirPathNames.IsSafeDomain(domain))
        {
            // A configuration problem, not the sender's: keep the message until it is fixed.
            refusal = RecipientDeliveryResult.Temporary(
                recipient, $"451 4.3.5 Local domain {domain} cannot be used as a directory name");
            return null;
        }

        var mailbox = MaildirPathNames.EscapeMailbox(parsed.MailboxName);
        var directory = Path.GetFullPath(Path.Combine(_root, domain, mailbox));

        // Belt and braces: whatever the names above, the result must be two levels below the root.
        if (Path.GetDirectoryName(Path.GetDirectoryName(directory)) != _root)
        {
            refusal = RecipientDeliveryResult.Permanent(recipient, "550 5.1.1 Mailbox name is not usable");
            return null;
        }

        return directory;
    }

    private async Task<RecipientDeliveryResult> DeliverOneAsync(
        QueuedMessage message,
        ReadOnlyMemory<byte> content,
        QueuedRecipient recipient,
        CancellationToken cancellationToken)
    {
        if (ResolveMailboxDirectory(recipient, out var refusal) is not { } mailboxDirectory)
        {
            return refusal!;
        }

        try
        {
            var tmp = Path.Combine(mailboxDirectory, "tmp");
            var @new = Path.Combine(mailboxDirectory, "new");
            CreateMaildir(mailboxDirectory, tmp, @new);

            var trace = TraceHeaders(message.MailFrom, recipient.Address);
            var size = trace.Length + content.Length;
            var name = _fileNames.ForDelivery(message.ReceivedAt, message.QueueId, IndexOf(message, recipient), size);
            var tmpFile = Path.Combine(tmp, name);
            var newFile = Path.Combine(@new, name);

            // At-least-once delivery retries after a crash between the rename below and the spool recording
            // it: the copy is then already here, and delivering it again would be a duplicate.
            if (FindDelivered(mailboxDirectory, newFile, name) is { } existing)
            {
                return RecipientDeliveryResult.Delivered(recipient, "250 2.0.0 Already delivered to maildir", existing);
            }

            // A file of this name in tmp/ can only be our own earlier attempt, cut off while writing.
            File.Delete(tmpFile);
            await WriteAsync(tmpFile, trace, content, cancellationToken);
            try
            {
                File.Move(tmpFile, newFile, overwrite: false);
            }
            catch
            {
                File.Delete(tmpFile);
                throw;
            }

            DirectorySync.Flush(@new);
            return RecipientDeliveryResult.Delivered(recipient, "250 2.0.0 Delivered to maildir", newFile);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // Disk full, permissions, a file in the way: the operator can fix it, the mail waits.
            return RecipientDeliveryResult.Temporary(recipient, "451 4.3.0 Maildir write failed: " + exception.Message);
        }
    }

    /// <summary>The recipient's position in the envelope: stable across restarts, unlike the object.</summary>
    private static int IndexOf(QueuedMessage message, QueuedRecipient recipient)
    {
        var index = message.Recipients.IndexOf(recipient);
        return index >= 0
            ? index
            : message.Recipients.FindIndex(r => string.Equals(r.Address, recipient.Address, StringComparison.Ordinal));
    }

    /// <summary>
    /// The copy an earlier attempt left, in new/ or where a mail reader moved it first (cur/ with the
    /// Maildir info suffix ":2," and no flags yet); null when there is none. Only exact names are
    /// checked, never a directory listing, so the cost does not grow with the mailbox.
    /// </summary>
    private static string? FindDelivered(string mailboxDirectory, string newFile, string name)
    {
        if (File.Exists(newFile))
        {
            return newFile;
        }

        var cur = Path.Combine(mailboxDirectory, "cur", name + ":2,");
        return File.Exists(cur) ? cur : null;
    }

    private static void CreateMaildir(string mailboxDirectory, string tmp, string @new)
    {
        if (Directory.Exists(@new) && Directory.Exists(tmp))
        {
            return;
        }

        Directory.CreateDirectory(tmp);
        Directory.CreateDirectory(@new);
        Directory.CreateDirectory(Path.Combine(mailboxDirectory, "cur"));
        DirectorySync.Flush(mailboxDirectory);
        DirectorySync.Flush(Path.GetDirectoryName(mailboxDirectory)!);
    }

    /// <summary>
    /// Return-Path (RFC 5321 section 4.4: the final delivery records the reverse path) and
    /// Delivered-To, as Dovecot's LMTP adds them, so both targets store the same shape of message.
    /// </summary>
    private static byte[] TraceHeaders(string mailFrom, string recipient) =>
        Encoding.UTF8.GetBytes($"Return-Path: <{HeaderSafe(mailFrom)}>\r\nDelivered-To: {HeaderSafe(recipient)}\r\n");

    /// <summary>Envelope text comes from the client: no control character may end or fold the header.</summary>
    private static string HeaderSafe(string value) =>
        string.Create(value.Length, value, static (span, text) =>
        {
            for (var i = 0; i < text.Length; i++)
            {
                span[i] = char.IsControl(text[i]) ? '?' : text[i];
            }
        });

    private static async Task WriteAsync(
        string path, byte[] trace, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.None,
            BufferSize = 0,
        };
        var stream = new FileStream(path, options);
        try
        {
            await stream.WriteAsync(trace, cancellationToken);
            await stream.WriteAsync(content, cancellationToken);
            stream.Flush(flushToDisk: true);
            await stream.DisposeAsync();
        }
        catch
        {
            await stream.DisposeAsync();
            File.Delete(path);
            throw;
        }
    }
}
