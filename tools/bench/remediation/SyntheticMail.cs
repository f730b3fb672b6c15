using System.Text;
using Gateway.V1;
using Google.Protobuf.WellKnownTypes;

namespace Gateway.Bench.Remediation;

/// <summary>
/// Delivery records shaped like real traffic: edge queue ids, Message-IDs in the common styles (their
/// lengths spread around the 46-character median of the corpus in ../shared), first.last local parts
/// over a few local domains, and two text fingerprints per message.
/// </summary>
public sealed class SyntheticMail
{
    private const string Crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    private const string Base64Url = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    private static readonly string[] First =
    [
        "anna", "ben", "carla", "david", "elena", "frank", "greta", "hugo", "ines", "jonas", "karin", "lars",
        "maria", "nils", "olga", "peter", "quinn", "rosa", "stefan", "tina", "ulrich", "vera", "walter", "yasmin",
    ];

    private static readonly string[] Last =
    [
        "meier", "schmidt", "fischer", "weber", "wagner", "becker", "hoffmann", "koch", "richter", "klein", "wolf",
        "neumann", "schwarz", "zimmermann", "braun", "krueger", "hartmann", "lange", "werner", "krause",
    ];

    private static readonly string[] Domains = ["example.test", "corp.example.test", "mail.example.test"];

    private readonly Random _random;
    private readonly Lock _gate = new();
    private long _lastMilliseconds;
    private long _counter;

    public SyntheticMail(int seed)
    {
        _random = new Random(seed);
    }

    public string Recipient(int mailbox) =>
        $"{First[mailbox % First.Length]}.{Last[mailbox / First.Length % Last.Length]}"
        + $"{mailbox / (First.Length * Last.Length)}@{Domains[mailbox % Domains.Length]}";

    /// <summary>As the edge makes them: the counter counts ids within one millisecond.</summary>
    public string QueueId(DateTimeOffset at)
    {
        long counter;
        var milliseconds = at.ToUnixTimeMilliseconds();
        lock (_gate)
        {
            milliseconds = Math.Max(milliseconds, _lastMilliseconds);
            _counter = milliseconds == _lastMilliseconds ? _counter + 1 : 0;
            _lastMilliseconds = milliseconds;
            counter = _counter & 0x3FFFFF;
        }

        var value = (UInt128)(ulong)milliseconds << 72
            | (UInt128)(ulong)counter << 50
            | (UInt128)((ulong)_random.NextInt64() & ((1UL << 50) - 1));
        var text = new char[24];
        for (var i = 23; i >= 0; i--)
        {
            text[i] = Crockford[(int)(value & 31)];
            value >>= 5;
        }

        return new string(text);
    }

    public string MessageId(DateTimeOffset at) => _random.Next(4) switch
    {
        0 => $"<{at:yyyyMMddHHmmss}.GA{_random.Next(10000, 99999)}"
            + $"@mx{_random.Next(1, 99)}.sender{_random.Next(999)}.test>",
        1 => $"<CA{Random(Base64Url, 40)}@mail.gmail.com>",
        2 => $"<{Guid.NewGuid():N}@{Random("abcdefghijklmnopqrstuvwxyz", 7)}.test>",
        _ => $"<{at.ToUnixTimeSeconds()}.{_random.Next(100000, 999999)}.{Random(Crockford, 6)}.JavaMail.app@host.test>",
    };

    public string Fingerprint() => "t1:" + Random("0123456789abcdef", 32);

    public DeliveryRecord Record(string recipient, string queueId, string messageId, long size, DateTimeOffset at,
        MailboxStoreKind store, IEnumerable<string> fingerprints)
    {
        var record = new DeliveryRecord
        {
            QueueId = queueId,
            Recipient = recipient,
            Store = store,
            Folder = "INBOX",
            MessageId = messageId,
            Size = size,
            DeliveredAt = Timestamp.FromDateTimeOffset(at),
            EnvelopeSender = "bulk@sender.test",
            FromDomain = "sender.test",
        };
        record.Fingerprints.AddRange(fingerprints);
        return record;
    }

    public int Size() => 2_000 + _random.Next(60_000);

    private string Random(string alphabet, int length)
    {
        var text = new StringBuilder(length);
        for (var i = 0; i < length; i++)
        {
            text.Append(alphabet[_random.Next(alphabet.Length)]);
        }

        return text.ToString();
    }
}
