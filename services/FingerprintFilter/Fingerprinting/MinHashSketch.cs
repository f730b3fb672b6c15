namespace Gateway.FingerprintFilter.Fingerprinting;

/// <summary>
/// One-permutation min-hash (Li, Owen and Zhang, NIPS 2012) with optimal densification
/// (Shrivastava, ICML 2017): each shingle hash falls into one of <c>bins</c> bins by its top bits and
/// every bin keeps its smallest value. The probability that two texts agree on a bin is their Jaccard
/// similarity (shared shingles over all shingles), as with classic min-hash, but one pass over the
/// shingles fills all bins instead of one pass per hash function, which keeps a 50 KB message well
/// under a millisecond. Bins no shingle fell into borrow the value of a bin chosen by a fixed hash
/// sequence, so sparse sketches stay comparable.
/// </summary>
public static class MinHashSketch
{
    private const ulong Empty = ulong.MaxValue;

    /// <summary>Sketches <paramref name="shingles"/> into <paramref name="bins"/> (a power of two, 2..1024).</summary>
    /// <returns>False when there is no shingle at all (the bins are then meaningless).</returns>
    public static bool Compute(IReadOnlyList<ulong> shingles, Span<ulong> bins)
    {
        var count = bins.Length;
        if (count < 2 || count > 1024 || (count & (count - 1)) != 0)
        {
            throw new ArgumentException("The bin count must be a power of two from 2 to 1024.", nameof(bins));
        }

        if (shingles.Count == 0)
        {
            return false;
        }

        var shift = 64 - System.Numerics.BitOperations.Log2((uint)count);
        var valueMask = ulong.MaxValue >> (64 - shift);
        bins.Fill(Empty);
        foreach (var shingle in shingles)
        {
            // Shingle hashes are already mixed; re-mixing decorrelates the bin from the value bits.
            var hash = StableHash.Mix(shingle ^ 0x5bd1e9955bd1e995);
            var bin = (int)(hash >> shift);
            var value = hash & valueMask;
            if (value < bins[bin])
            {
                bins[bin] = value;
            }
        }

        Densify(bins);
        return true;
    }

    /// <summary>
    /// Fills each empty bin from the first non-empty bin on its own fixed pseudo-random probe sequence
    /// (probes depend only on the bin index and attempt, never on the text, so two texts with the same
    /// filled bins fill their empty ones alike).
    /// </summary>
    private static void Densify(Span<ulong> bins)
    {
        var count = bins.Length;
        Span<bool> filled = stackalloc bool[count];
        var any = false;
        for (var i = 0; i < count; i++)
        {
            filled[i] = bins[i] != Empty;
            any |= filled[i];
        }

        if (!any)
        {
            return;
        }

        for (var i = 0; i < count; i++)
        {
            if (filled[i])
            {
                continue;
            }

            var source = -1;
            for (ulong attempt = 1; attempt <= (ulong)(8 * count) && source < 0; attempt++)
            {
                var probe = (int)(StableHash.Mix(((ulong)i << 32) | attempt) & (ulong)(count - 1));
                source = filled[probe] ? probe : -1;
            }

            // Practically unreachable (8n probes all missing every filled bin); stay deterministic anyway.
            for (var j = 1; source < 0 && j < count; j++)
            {
                source = filled[(i + j) % count] ? (i + j) % count : -1;
            }

            bins[i] = bins[source];
        }
    }
}
