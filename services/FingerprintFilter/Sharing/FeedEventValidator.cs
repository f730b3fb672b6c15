using Gateway.FingerprintFilter.Fingerprinting;
using Gateway.V1;

namespace Gateway.FingerprintFilter.Sharing;

/// <summary>
/// What a peer's event may hold before it is learned: a signed batch proves who sent it, not that the
/// sender is well-behaved or bug-free. Limits match what this site would produce itself.
/// </summary>
public static class FeedEventValidator
{
    public const int MaxFingerprints = 256;
    public const int MaxGroups = 64;
    public const int MaxFingerprintChars = 80;

    private static readonly HashSet<string> KnownKinds =
        [FingerprintKinds.ExactText, FingerprintKinds.Fuzzy, FingerprintKinds.Attachment, FingerprintKinds.UrlDomain];

    /// <returns>Null when the event is fine, else why it is skipped.</returns>
    public static string? Problem(FingerprintEvent fingerprintEvent)
    {
        if (fingerprintEvent.Kind is not (FingerprintEventKind.Convicted or FingerprintEventKind.Reversed))
        {
            return "kind";
        }

        if (fingerprintEvent.Fingerprints.Count == 0
            || fingerprintEvent.Fingerprints.Count + fingerprintEvent.SupportingFingerprints.Count > MaxFingerprints
            || fingerprintEvent.Groups.Count > MaxGroups)
        {
            return "size";
        }

        var all = fingerprintEvent.Fingerprints.Concat(fingerprintEvent.SupportingFingerprints)
            .ToHashSet(StringComparer.Ordinal);
        if (!all.All(Wellformed)
            || !fingerprintEvent.Fingerprints.All(FingerprintKinds.IdentifiesContent)
            || fingerprintEvent.SupportingFingerprints.Any(FingerprintKinds.IdentifiesContent))
        {
            return "fingerprint";
        }

        // A group must be one fuzzy part's components, all named in the event: otherwise a peer could
        // make one shared component stand for a whole part.
        foreach (var group in fingerprintEvent.Groups)
        {
            if (group.Kind != FingerprintKinds.Fuzzy || group.Fingerprints.Count == 0
                || !group.Fingerprints.All(all.Contains) || !group.Fingerprints.All(FingerprintKinds.IsFuzzy))
            {
                return "group";
            }
        }

        return double.IsFinite(fingerprintEvent.Confidence) ? null : "confidence";
    }

    private static bool Wellformed(string fingerprint)
    {
        var kind = FingerprintKinds.KindOf(fingerprint);
        if (!KnownKinds.Contains(kind) || fingerprint.Length > MaxFingerprintChars
            || fingerprint.Length <= kind.Length + 1)
        {
            return false;
        }

        foreach (var c in fingerprint.AsSpan(kind.Length + 1))
        {
            if (!char.IsAsciiHexDigitLower(c))
            {
                return false;
            }
        }

        return true;
    }
}
