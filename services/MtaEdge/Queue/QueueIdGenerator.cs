using System.Security.Cryptography;

namespace Gateway.MtaEdge.Queue;

/// <summary>
/// Makes queue ids: 24 characters of Crockford base32 over 120 bits, most significant first, so
/// ids sort by creation time as plain strings and are safe as file names on any file system
/// (digits and upper-case letters only).
/// </summary>
/// <remarks>
/// Layout: 48 bits of Unix milliseconds, a 22-bit counter that keeps ids from one process strictly
/// increasing within a millisecond (and across a clock step backwards), and 50 random bits that keep
/// ids from two processes apart.
/// </remarks>
public static class QueueIdGenerator
{
    public const int Length = 24;

    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    private const int CounterBits = 22;
    private const int RandomBits = 50;

    private static readonly Lock Gate = new();
    private static long _lastMilliseconds;
    private static long _counter;

    public static string Next() => Next(DateTimeOffset.UtcNow);

    internal static string Next(DateTimeOffset now)
    {
        long milliseconds;
        long counter;
        lock (Gate)
        {
            milliseconds = Math.Max(now.ToUnixTimeMilliseconds(), _lastMilliseconds);
            if (milliseconds == _lastMilliseconds)
            {
                _counter++;
                if (_counter >= 1L << CounterBits)
                {
                    // 4 million ids in one millisecond: borrow the next millisecond.
                    milliseconds++;
                    _counter = 0;
                }
            }
            else
            {
                _counter = 0;
            }

            _lastMilliseconds = milliseconds;
            counter = _counter;
        }

        var random = (UInt128)(BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(8)) & ((1UL << RandomBits) - 1));
        var value = ((UInt128)(ulong)milliseconds << (CounterBits + RandomBits))
            | ((UInt128)(ulong)counter << RandomBits)
            | random;

        Span<char> text = stackalloc char[Length];
        for (var i = Length - 1; i >= 0; i--)
        {
            text[i] = Alphabet[(int)(value & 31)];
            value >>= 5;
        }

        return new string(text);
    }

    /// <summary>True when <paramref name="queueId"/> has the shape of an id this class makes.</summary>
    public static bool IsValid(string? queueId) =>
        queueId is { Length: Length } && queueId.All(c => Alphabet.Contains(c));
}
