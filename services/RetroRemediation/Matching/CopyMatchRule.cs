using Gateway.V1;

namespace Gateway.RetroRemediation.Matching;

/// <summary>
/// When a recorded copy is the convicted message: it shares a t1 (exact text) fingerprint, or it carries
/// at least <c>min_matches</c> of one group's fuzzy components. One fuzzy component is shared by unrelated
/// mail too (a common sentence, a footer), and a1 or u1 (a logo, a big site's domain) even more so;
/// moving mail on those alone would take legitimate copies away, so they never decide.
/// </summary>
public sealed class CopyMatchRule
{
    public const string ExactTextKind = "t1";
    public const int MaxGroups = 64;

    private static readonly HashSet<string> SupportingKinds = new(StringComparer.Ordinal) { "a1", "u1" };

    private readonly HashSet<string> _exact;
    private readonly List<(HashSet<string> Components, int MinMatches)> _groups;

    /// <param name="fingerprints">The event's (or request's) fingerprints, already checked.</param>
    /// <param name="groups">Its fuzzy groups, components already checked.</param>
    /// <exception cref="ArgumentException">More than <see cref="MaxGroups"/> groups.</exception>
    public CopyMatchRule(IEnumerable<string> fingerprints, IReadOnlyCollection<FingerprintGroup> groups)
    {
        if (groups.Count > MaxGroups)
        {
            throw new ArgumentException($"at most {MaxGroups} fingerprint groups, not {groups.Count}.");
        }

        _exact = fingerprints.Where(fp => KindOf(fp) == ExactTextKind).ToHashSet(StringComparer.Ordinal);
        _groups = [];
        foreach (var group in groups)
        {
            var components = group.Fingerprints
                .Where(fp => KindOf(fp) is var kind && kind != ExactTextKind && !SupportingKinds.Contains(kind))
                .ToHashSet(StringComparer.Ordinal);
            if (components.Count == 0)
            {
                continue;
            }

            // A group without a sensible threshold (a malformed or older producer) needs all of its
            // components: never fewer than one, never more than it has.
            var minMatches = group.MinMatches < 1 ? components.Count : Math.Min(group.MinMatches, components.Count);
            _groups.Add((components, minMatches));
        }

        Probes = _exact.Concat(_groups.SelectMany(g => g.Components)).Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>The fingerprints worth looking up: the t1 ones and the groups' components.</summary>
    public IReadOnlyList<string> Probes { get; }

    /// <summary>Whether a copy carrying these of <see cref="Probes"/> is the message.</summary>
    public bool Matches(IReadOnlyCollection<string> shared)
    {
        if (shared.Any(_exact.Contains))
        {
            return true;
        }

        foreach (var (components, minMatches) in _groups)
        {
            if (shared.Count(components.Contains) >= minMatches)
            {
                return true;
            }
        }

        return false;
    }

    private static string KindOf(string fingerprint)
    {
        var colon = fingerprint.IndexOf(':');
        return colon > 0 ? fingerprint[..colon] : "";
    }
}
