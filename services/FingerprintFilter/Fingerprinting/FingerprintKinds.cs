namespace Gateway.FingerprintFilter.Fingerprinting;

/// <summary>
/// The kinds of fingerprint, the prefix of every "kind:hex" string. A kind's name is part of the
/// stored and shared data: a changed algorithm gets a new name (t2, …), never a new meaning for an
/// old one, so stores and other sites holding old fingerprints stay correct.
/// </summary>
public static class FingerprintKinds
{
    /// <summary>Exact digest of one normalised text part.</summary>
    public const string ExactText = "t1";

    /// <summary>Exact digest of one attachment's decoded bytes.</summary>
    public const string Attachment = "a1";

    /// <summary>The kind of a "kind:hex" fingerprint, or empty when it has none.</summary>
    public static string KindOf(string fingerprint)
    {
        var colon = fingerprint.IndexOf(':');
        return colon > 0 ? fingerprint[..colon] : "";
    }

    /// <summary>
    /// Whether a known-spam match of this fingerprint convicts a message by itself. Text does.
    /// An attachment or image digest does not: logos, signatures, vCards and common documents
    /// are shared by spam and ham alike, so a1 matches count only beside a text match. Unknown
    /// kinds (from a newer peer) never convict alone.
    /// </summary>
    public static bool ConvictsAlone(string fingerprint) => KindOf(fingerprint) == ExactText;
}
