namespace Gateway.FingerprintFilter.Fingerprinting;

/// <summary>
/// The fingerprints of one message, distinct and in a stable order, its Message-ID, and the fuzzy
/// parts: which of the fingerprints form one text part's fuzzy digest (they match as a group).
/// </summary>
public sealed record MessageFingerprints(
    string? MessageId, IReadOnlyList<string> Fingerprints, IReadOnlyList<FuzzyPart> FuzzyParts)
{
    public MessageFingerprints(string? messageId, IReadOnlyList<string> fingerprints)
        : this(messageId, fingerprints, [])
    {
    }

    public static MessageFingerprints None { get; } = new(null, [], []);
}
