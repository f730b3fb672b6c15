namespace Gateway.FingerprintFilter.Fingerprinting;

/// <summary>
/// Collects one message's fingerprints: distinct, in first-seen order, at most <c>capacity</c> of them,
/// plus the per-part groups of fuzzy components that only match together.
/// </summary>
public sealed class FingerprintSink
{
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private readonly HashSet<string> _groupKeys = new(StringComparer.Ordinal);
    private readonly List<string> _fingerprints = [];
    private readonly List<FuzzyPart> _fuzzyParts = [];
    private readonly int _capacity;

    public FingerprintSink(int capacity) => _capacity = capacity;

    public IReadOnlyList<string> Fingerprints => _fingerprints;

    public IReadOnlyList<FuzzyPart> FuzzyParts => _fuzzyParts;

    /// <summary>True when something was left out because the message reached the capacity.</summary>
    public bool Truncated { get; private set; }

    /// <summary>Room left for fingerprints.</summary>
    public int Remaining => _capacity - _fingerprints.Count;

    /// <summary>Adds one fingerprint; a repeat (the same body as text and HTML) is kept once.</summary>
    public void Add(string fingerprint)
    {
        if (_seen.Contains(fingerprint))
        {
            return;
        }

        if (_fingerprints.Count >= _capacity)
        {
            Truncated = true;
            return;
        }

        _seen.Add(fingerprint);
        _fingerprints.Add(fingerprint);
    }

    /// <summary>
    /// Adds the components of one part's fuzzy digest. They are all or nothing: a part whose components
    /// do not all fit is left out, because a share of agreeing components is only meaningful over the
    /// whole set. A part with exactly the components of one already added (text and HTML twins) is one part.
    /// </summary>
    public void AddFuzzyPart(FuzzyPart part)
    {
        if (!_groupKeys.Add(string.Join(',', part.Components)))
        {
            return;
        }

        var fresh = part.Components.Count(c => !_seen.Contains(c));
        if (fresh > Remaining)
        {
            Truncated = true;
            return;
        }

        _fuzzyParts.Add(part);
        foreach (var component in part.Components)
        {
            Add(component);
        }
    }
}
