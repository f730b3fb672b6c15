using Gateway.Common.Mail;
using Gateway.V1;

namespace Gateway.RetroRemediation.Cache;

/// <summary>
/// The byte layout of a cached copy (about 67 bytes for an IMAP copy with an edge queue id, an 8-character
/// local part and a 46-character Message-ID):
/// <code>
/// varint  length of the rest
/// byte    store kind (bits 0-2) | exemption (3-4) | folder is INBOX (5) | location form (6-7)
/// 4 bytes progress (CopyProgress): state|last action, result|flags added, last action minute (u16)
/// zigzag  delivered-at minus slot start, seconds
/// varint  size
/// ...     queue id                       (QueueIdPacking)
/// varint  recipient domain id; 0: text domain follows
/// text    recipient local part
/// varint  interned id of the Message-ID's right-hand side; 0: the whole Message-ID as text follows,
///         else the left-hand side as text (the form &lt;left@right&gt; is implied)
/// [text   folder, when not INBOX]
/// location: Maildir form: varint root id (0: text root follows), byte 0 new / 1 cur, text file name;
///           verbatim form: text
/// </code>
/// Fingerprints are not in the entry: the index holds them.
/// </summary>
internal static class CopyEntryCodec
{
    /// <summary>Fits a record page with room to spare; records are validated far below it.</summary>
    public const int MaxEntryBytes = 7000;

    public static byte[] Encode(
        DeliveryRecord record, EnvelopeAddress recipient, CopyExemption exemption, long slotStart, uint domainId,
        MaildirLocation? maildir, uint rootId, uint messageIdHostId = 0)
    {
        var body = new ByteWriter(96);
        var inbox = string.IsNullOrEmpty(record.Folder) || record.Folder == "INBOX";
        var form = maildir is not null ? CopyLocationForm.Maildir
            : record.Location.Length > 0 ? CopyLocationForm.Verbatim : CopyLocationForm.None;
        body.Byte((byte)((int)record.Store & 7 | (int)exemption << 3 | (inbox ? 1 << 5 : 0) | (int)form << 6));

        Span<byte> progress = stackalloc byte[CopyProgress.Size];
        CopyProgress.Recorded.Write(progress, slotStart);
        body.Bytes(progress);

        var deliveredAt = record.DeliveredAt?.Seconds ?? slotStart;
        body.VarInt(deliveredAt - slotStart);
        body.VarUInt((ulong)Math.Max(0, record.Size));
        QueueIdPacking.Write(body, record.QueueId, deliveredAt * 1000);
        body.VarUInt(domainId);
        if (domainId == 0)
        {
            PackedText.Write(body, recipient.Domain);
        }

        PackedText.Write(body, recipient.LocalPart);
        body.VarUInt(messageIdHostId);
        var messageId = messageIdHostId == 0 ? record.MessageId : MessageIdParts.Split(record.MessageId)!.Value.Left;
        PackedText.Write(body, messageId);
        if (!inbox)
        {
            PackedText.Write(body, record.Folder);
        }

        if (maildir is { } m)
        {
            body.VarUInt(rootId);
            if (rootId == 0)
            {
                PackedText.Write(body, m.Root);
            }

            body.Byte(m.InCur ? (byte)1 : (byte)0);
            PackedText.Write(body, m.FileName);
        }
        else if (form == CopyLocationForm.Verbatim)
        {
            PackedText.Write(body, record.Location);
        }

        var entry = new ByteWriter(body.Length + 3);
        entry.VarUInt((ulong)body.Length);
        entry.Bytes(body.ToArray());
        if (entry.Length > MaxEntryBytes)
        {
            throw new ArgumentException(
                $"the delivery record encodes to {entry.Length} bytes; at most {MaxEntryBytes}.");
        }

        return entry.ToArray();
    }

    /// <summary>
    /// Decodes the entry at the start of <paramref name="data"/>. Null when the bytes there were never
    /// written (zeros: an allocation whose writer died) or are shorter than the entry claims.
    /// </summary>
    public static CopyEntry? Decode(ReadOnlySpan<byte> data, long slotStart)
    {
        var reader = new ByteReader(data);
        var length = reader.Length32(MaxEntryBytes);
        if (length == 0 || length > reader.Remaining)
        {
            return null;
        }

        var headerLength = reader.Position;
        reader = new ByteReader(data[..(headerLength + length)]);
        reader.Skip(headerLength);
        var flags = reader.Byte();
        var progressOffset = reader.Position;
        var progress = CopyProgress.Read(reader.Bytes(CopyProgress.Size), slotStart);
        var deliveredAt = slotStart + reader.VarInt();
        var size = (long)reader.VarUInt();
        var queueId = QueueIdPacking.Read(ref reader, deliveredAt * 1000);
        var domainId = (uint)reader.VarUInt();
        var domain = domainId == 0 ? PackedText.Read(ref reader) : null;
        var localPart = PackedText.Read(ref reader);
        var messageIdHostId = (uint)reader.VarUInt();
        var messageId = PackedText.Read(ref reader);
        var folder = (flags & 1 << 5) != 0 ? "INBOX" : PackedText.Read(ref reader);
        var form = (CopyLocationForm)(flags >> 6);
        uint rootId = 0;
        string? root = null;
        var inCur = false;
        string fileName = "", location = "";
        if (form == CopyLocationForm.Maildir)
        {
            rootId = (uint)reader.VarUInt();
            root = rootId == 0 ? PackedText.Read(ref reader) : null;
            inCur = reader.Byte() == 1;
            fileName = PackedText.Read(ref reader);
        }
        else if (form == CopyLocationForm.Verbatim)
        {
            location = PackedText.Read(ref reader);
        }

        return new CopyEntry
        {
            Store = (MailboxStoreKind)(flags & 7),
            Exemption = (CopyExemption)(flags >> 3 & 3),
            Progress = progress,
            ProgressOffset = progressOffset,
            TotalLength = headerLength + length,
            DeliveredAtSeconds = deliveredAt,
            Size = size,
            QueueId = queueId,
            DomainId = domainId,
            Domain = domain,
            LocalPart = localPart,
            MessageId = messageId,
            MessageIdHostId = messageIdHostId,
            Folder = folder,
            LocationForm = form,
            RootId = rootId,
            Root = root,
            InCur = inCur,
            FileName = fileName,
            Location = location,
        };
    }
}
