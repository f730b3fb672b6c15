using Gateway.Common.Mail;
using Gateway.RetroRemediation.Cache;
using Gateway.V1;
using Google.Protobuf.WellKnownTypes;
using Xunit;

namespace Gateway.RetroRemediation.Tests.Cache;

public sealed class CopyEntryCodecTests
{
    private const long SlotStart = 1_765_000_000;

    [Theory]
    [InlineData("")]
    [InlineData("<20100416190000.GA12338@s70206.gridserver.com>")]
    [InlineData("01JB3H6Z7Q8R9S0T1V2W3X4Y5Z")]
    [InlineData("ann.lee")]
    [InlineData("\"züri käse\"")]
    [InlineData("<>")]
    [InlineData("<a>b>")]
    [InlineData("1733412345.M123456P1234Q12.mx1.example.test,S=2345:2,FS")]
    public void PackedText_RoundTrips(string value)
    {
        var writer = new ByteWriter();
        PackedText.Write(writer, value);
        writer.Byte(0xAB);

        var reader = new ByteReader(writer.ToArray());
        Assert.Equal(value, PackedText.Read(ref reader));
        Assert.Equal(0xAB, reader.Byte());
    }

    [Fact]
    public void PackedText_MessageIdAndQueueId_AreSmallerThanUtf8()
    {
        static int Size(string value)
        {
            var writer = new ByteWriter();
            PackedText.Write(writer, value);
            return writer.Length;
        }

        Assert.True(Size("<20100416190000.GA12338@s70206.gridserver.com>") <= 37);
        Assert.Equal(16, Size("01JB3H6Z7Q8R9S0T1V2W3X4Y5Z"[..24]));
    }

    [Fact]
    public void Encode_ImapCopy_IsCompact()
    {
        var record = new DeliveryRecord
        {
            QueueId = EdgeQueueId((SlotStart + 1) * 1000),
            Recipient = "firstname.lastname@example.test",
            Store = MailboxStoreKind.Imap,
            Folder = "INBOX",
            MessageId = "<20100416190000.GA12338@s70206.gridserver.com>",
            Size = 45_000,
            DeliveredAt = Timestamp.FromDateTimeOffset(DateTimeOffset.FromUnixTimeSeconds(SlotStart + 3)),
        };
        EnvelopeAddress.TryParse(record.Recipient, out var recipient);

        var bytes = CopyEntryCodec.Encode(record, recipient, CopyExemption.None, SlotStart, 1, null, 0);
        var entry = CopyEntryCodec.Decode(bytes, SlotStart)!;

        Assert.InRange(bytes.Length, 60, 80);
        Assert.Equal(bytes.Length, entry.TotalLength);
        Assert.Equal(record.MessageId, entry.MessageId);
        Assert.Equal("firstname.lastname", entry.LocalPart);
        Assert.Equal(1u, entry.DomainId);
        Assert.Equal(SlotStart + 3, entry.DeliveredAtSeconds);
    }

    [Theory]
    [InlineData("01JB3H6Z7Q8R9S0T1V2W3X4Y", 0)]
    [InlineData("01JB3H6Z7Q8R9S0T1V2W3X4Y", 86_400_000)]
    [InlineData("ZZZZZZZZZZZZZZZZZZZZZZZZ", 0)]
    [InlineData("00000000000000000000000000", 0)]
    [InlineData("q-1", 0)]
    [InlineData("01jb3h6z7q8r9s0t1v2w3x4y", 0)]
    public void QueueIdPacking_RoundTrips(string queueId, long deliveredAtMilliseconds)
    {
        var writer = new ByteWriter();
        QueueIdPacking.Write(writer, queueId, deliveredAtMilliseconds);

        var reader = new ByteReader(writer.ToArray());
        Assert.Equal(queueId, QueueIdPacking.Read(ref reader, deliveredAtMilliseconds));
        Assert.Equal(0, reader.Remaining);
    }

    [Fact]
    public void QueueIdPacking_EdgeQueueIdDeliveredSoonAfter_TakesAbout11Bytes()
    {
        var deliveredAt = 1_765_000_000_000L;
        var queueId = EdgeQueueId(deliveredAt - 2_345);
        var writer = new ByteWriter();
        QueueIdPacking.Write(writer, queueId, deliveredAt);

        Assert.Equal(24, queueId.Length);
        Assert.InRange(writer.Length, 10, 12);
    }

    /// <summary>A queue id as the MTA edge makes them: its time, counter 0, random bits.</summary>
    private static string EdgeQueueId(long milliseconds)
    {
        var writer = new ByteWriter();
        writer.VarUInt(1);
        writer.VarInt(0);
        writer.VarUInt(0);
        writer.Bytes([0x03, 0x1F, 0x22, 0x9A, 0x44, 0xE1, 0x07]);
        var reader = new ByteReader(writer.ToArray());
        return QueueIdPacking.Read(ref reader, milliseconds);
    }

    [Fact]
    public void Decode_Zeros_IsNotAnEntry()
    {
        Assert.Null(CopyEntryCodec.Decode(new byte[64], SlotStart));
    }

    [Fact]
    public void Decode_RandomBytes_NeverThrowsAnythingButFormatException()
    {
        var random = new Random(42);
        for (var i = 0; i < 20_000; i++)
        {
            var bytes = new byte[random.Next(1, 80)];
            random.NextBytes(bytes);
            try
            {
                CopyEntryCodec.Decode(bytes, SlotStart);
            }
            catch (FormatException)
            {
                // Damaged entries are reported as such.
            }
        }
    }

    [Fact]
    public void Decode_TruncatedEntry_IsNull()
    {
        var record = new DeliveryRecord { QueueId = "q1", Recipient = "a@b.test", Store = MailboxStoreKind.Imap };
        EnvelopeAddress.TryParse(record.Recipient, out var recipient);
        var bytes = CopyEntryCodec.Encode(record, recipient, CopyExemption.None, SlotStart, 0, null, 0);

        Assert.Null(CopyEntryCodec.Decode(bytes.AsSpan(0, bytes.Length - 1), SlotStart));
    }

    [Theory]
    [InlineData("t5h2k0-3fa", true)]
    [InlineData("0-0", true)]
    [InlineData("-3fa", false)]
    [InlineData("t5h2k0-", false)]
    [InlineData("T5H2K0-3FA", false)]
    [InlineData("<a@b>", false)]
    [InlineData("t5h2k0-zzzzzzzzzz", false)]
    public void CopyId_Parse(string text, bool valid)
    {
        Assert.Equal(valid, CopyId.TryParse(text, out var id));
        if (valid)
        {
            Assert.Equal(text, id.ToString());
        }
    }

    [Fact]
    public void PageGeometry_IndexPagesHoldWholeEntries()
    {
        foreach (var (page, start, used) in PageGeometry.Index.Covering(100_000))
        {
            Assert.Equal(0, start % 10);
            Assert.Equal(0, used % 10);
            var located = PageGeometry.Index.Locate(start);
            Assert.Equal((page, start), (located.Page, located.Start));
        }

        Assert.Equal((0L, 0L, 8186), PageGeometry.Records.Locate(8185));
        Assert.Equal((1L, 8186L, 8186), PageGeometry.Records.Locate(8186));
    }
}
