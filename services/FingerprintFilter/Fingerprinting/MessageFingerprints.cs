namespace Gateway.FingerprintFilter.Fingerprinting;

/// <summary>The fingerprints of one message, distinct and in a stable order, plus its Message-ID.</summary>
public sealed record MessageFingerprints(string? MessageId, IReadOnlyList<string> Fingerprints)
{
    public static MessageFingerprints None { get; } = new(null, []);
}
