using Gateway.FingerprintFilter.Fingerprinting;
using Gateway.V1;
using Google.Protobuf.WellKnownTypes;

namespace Gateway.FingerprintFilter.Learning;

/// <summary>
/// Builds the event for a conviction or reversal. Field <c>fingerprints</c> holds the content
/// fingerprints (t1 and every f1 component) so retro-remediation finds exact copies and near-duplicates;
/// <c>groups</c> says how many of a part's f1 components a copy must carry to count as a near-duplicate;
/// a1 and u1 go to <c>supporting_fingerprints</c>, because acting on a shared logo or a big site's
/// domain would take legitimate mail away.
/// </summary>
public static class FingerprintEventFactory
{
    /// <returns>Null when the message has no content fingerprint (only attachments or links).</returns>
    public static FingerprintEvent? Create(
        FingerprintEventKind kind,
        MessageFingerprints fingerprints,
        string source,
        double confidence,
        DateTimeOffset expires,
        double fuzzyMatchShare,
        DateTimeOffset now)
    {
        var content = fingerprints.Fingerprints.Where(FingerprintKinds.IdentifiesContent).ToList();
        if (content.Count == 0)
        {
            return null;
        }

        var fingerprintEvent = new FingerprintEvent
        {
            EventId = Guid.NewGuid().ToString("N"),
            Kind = kind,
            Fingerprints = { content },
            SupportingFingerprints = { fingerprints.Fingerprints.Where(fp => !FingerprintKinds.IdentifiesContent(fp)) },
            Source = source,
            At = Timestamp.FromDateTimeOffset(now),
            Confidence = Math.Round(confidence, 4),
            Expires = Timestamp.FromDateTimeOffset(expires),
        };
        foreach (var part in fingerprints.FuzzyParts)
        {
            fingerprintEvent.Groups.Add(new FingerprintGroup
            {
                Kind = part.Kind,
                Fingerprints = { part.Components },
                MinMatches = MinMatches(part.Components.Count, fuzzyMatchShare),
            });
        }

        return fingerprintEvent;
    }

    /// <summary>
    /// Components a copy must share with a part to match it: the match share, rounded up, at least 1.
    /// </summary>
    public static int MinMatches(int components, double share) =>
        Math.Max(1, (int)Math.Ceiling(components * share - 1e-9));

    /// <summary>The message's fingerprints as an event describes them (for imports from peers).</summary>
    public static MessageFingerprints FingerprintsOf(FingerprintEvent fingerprintEvent)
    {
        var all = fingerprintEvent.Fingerprints.Concat(fingerprintEvent.SupportingFingerprints)
            .Distinct(StringComparer.Ordinal).ToList();
        var parts = fingerprintEvent.Groups
            .Where(g => g.Fingerprints.Count > 0)
            .Select(g => new FuzzyPart(g.Kind, g.Fingerprints.ToList()))
            .ToList();
        return new MessageFingerprints(null, all, parts);
    }
}
