namespace Gateway.FingerprintFilter.Fingerprinting;

/// <summary>
/// Fixed 64-bit hashing for the fuzzy digests. Fixed on purpose: every gateway and every site must
/// compute the same components from the same text, so nothing here may depend on the process
/// (unlike <see cref="string.GetHashCode()"/>, which is randomised per process).
/// </summary>
public static class StableHash
{
    private const ulong FnvOffset = 0xcbf29ce484222325;
    private const ulong FnvPrime = 0x100000001b3;

    /// <summary>The splitmix64 finaliser: a bijection that spreads every input bit over the output.</summary>
    public static ulong Mix(ulong x)
    {
        x ^= x >> 30;
        x *= 0xbf58476d1ce4e5b9;
        x ^= x >> 27;
        x *= 0x94d049bb133111eb;
        x ^= x >> 31;
        return x;
    }

    /// <summary>FNV-1a over the UTF-16 code units, finished with <see cref="Mix"/>.</summary>
    public static ulong Of(ReadOnlySpan<char> text)
    {
        var hash = FnvOffset;
        foreach (var c in text)
        {
            hash = (hash ^ c) * FnvPrime;
        }

        return Mix(hash);
    }
}
