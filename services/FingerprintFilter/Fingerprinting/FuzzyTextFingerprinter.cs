using Gateway.FingerprintFilter.Configuration;
using Gateway.FingerprintFilter.Normalization;
using Microsoft.Extensions.Options;

namespace Gateway.FingerprintFilter.Fingerprinting;

/// <summary>
/// <c>f1</c>: a fuzzy digest per text part, for near-duplicates that exact digests miss (a changed
/// product name, another tracking link, a paragraph added or dropped). The part's words are cut into
/// overlapping shingles, the shingles are min-hash sketched (<see cref="MinHashSketch"/>), and the
/// sketch's bins are hashed in bands of <see cref="FuzzyParameters.RowsPerBand"/> into components.
/// Each component is an ordinary "kind:hex" fingerprint (<c>f1:</c> + 2 hex digits of band index +
/// 16 of band hash), so a lookup is a batch of exact key hits, and two parts match when a configured
/// share of their components agree. A band agrees with probability J^rows for Jaccard similarity J:
/// near-duplicates share many bands, unrelated texts almost none.
/// </summary>
/// <remarks>
/// A part with fewer than <see cref="FingerprintFilterOptions.MinFuzzyShingles"/> distinct shingles
/// gets no fuzzy digest: short texts ("see you at 5", a lone link) are alike by accident, not by
/// descent. Components are hashes of minima of hashes, so the words cannot be read back.
/// </remarks>
public sealed class FuzzyTextFingerprinter : IFingerprintAlgorithm
{
    private readonly FuzzyParameters _parameters;
    private readonly int _minShingles;
    private readonly int _maxWords;
    private readonly int _maxParts;

    public FuzzyTextFingerprinter(IOptions<FingerprintFilterOptions> options)
        : this(options, FuzzyParameters.F1)
    {
    }

    /// <summary>For experiments with other digest shapes (see <see cref="FuzzyParameters"/>).</summary>
    public FuzzyTextFingerprinter(IOptions<FingerprintFilterOptions> options, FuzzyParameters parameters)
    {
        _parameters = parameters;
        _minShingles = options.Value.MinFuzzyShingles;
        _maxWords = options.Value.MaxFuzzyWords;
        _maxParts = options.Value.MaxFuzzyParts;
    }

    public string Kind => FingerprintKinds.Fuzzy;

    public void Compute(NormalizedMessage message, FingerprintSink output, CancellationToken cancellationToken)
    {
        var shingles = new List<ulong>();
        var parts = 0;
        foreach (var text in message.Texts)
        {
            cancellationToken.ThrowIfCancellationRequested();
            shingles.Clear();
            WordShingler.Shingle(text.Text, _parameters.ShingleWords, _maxWords, shingles);
            if (!HasDistinct(shingles, _minShingles) || parts >= _maxParts)
            {
                continue;
            }

            output.AddFuzzyPart(new FuzzyPart(Kind, Components(shingles)));
            parts++;
        }
    }

    /// <summary>The components of one part's shingles (empty when there are none).</summary>
    public IReadOnlyList<string> Components(IReadOnlyList<ulong> shingles)
    {
        Span<ulong> bins = stackalloc ulong[_parameters.Bins];
        if (!MinHashSketch.Compute(shingles, bins))
        {
            return [];
        }

        var rows = _parameters.RowsPerBand;
        var components = new string[_parameters.Bands];
        for (var band = 0; band < components.Length; band++)
        {
            var hash = StableHash.Mix((0xf1UL << 56) | (uint)band);
            for (var row = 0; row < rows; row++)
            {
                hash = StableHash.Mix(hash ^ bins[band * rows + row]);
            }

            components[band] = $"{Kind}:{band:x2}{hash:x16}";
        }

        return components;
    }

    private static bool HasDistinct(List<ulong> shingles, int minimum)
    {
        if (shingles.Count < minimum)
        {
            return false;
        }

        var distinct = new HashSet<ulong>();
        foreach (var shingle in shingles)
        {
            if (distinct.Add(shingle) && distinct.Count >= minimum)
            {
                return true;
            }
        }

        return false;
    }
}
