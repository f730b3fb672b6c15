using Gateway.V1;

namespace Gateway.RetroRemediation.Cache;

/// <summary>
/// One cached copy as stored, before interned names (domain, Maildir root) are looked up.
/// See <see cref="CopyEntryCodec"/> for the byte layout.
/// </summary>
internal sealed class CopyEntry
{
    public MailboxStoreKind Store { get; init; }

    public CopyExemption Exemption { get; init; }

    public CopyProgress Progress { get; init; }

    /// <summary>
    /// Where the six progress bytes start, counted from the start of the entry (length prefix included).
    /// </summary>
    public int ProgressOffset { get; init; }

    /// <summary>Whole entry length, length prefix included.</summary>
    public int TotalLength { get; init; }

    public long DeliveredAtSeconds { get; init; }

    public long Size { get; init; }

    public string QueueId { get; init; } = "";

    /// <summary>Interned id of the recipient domain; 0 when <see cref="Domain"/> is stored inline.</summary>
    public uint DomainId { get; init; }

    public string? Domain { get; set; }

    public string LocalPart { get; init; } = "";

    /// <summary>The Message-ID, or only its left-hand side when <see cref="MessageIdHostId"/> is set.</summary>
    public string MessageId { get; init; } = "";

    /// <summary>Interned id of the Message-ID's right-hand side; 0 when <see cref="MessageId"/> is whole.</summary>
    public uint MessageIdHostId { get; init; }

    public string Folder { get; init; } = "INBOX";

    public CopyLocationForm LocationForm { get; init; }

    /// <summary>Interned id of the Maildir root; 0 when <see cref="Root"/> is inline.</summary>
    public uint RootId { get; init; }

    public string? Root { get; set; }

    /// <summary>Maildir form: the file is in cur/ (else new/).</summary>
    public bool InCur { get; init; }

    public string FileName { get; init; } = "";

    /// <summary>Any other location, stored as given.</summary>
    public string Location { get; init; } = "";
}
