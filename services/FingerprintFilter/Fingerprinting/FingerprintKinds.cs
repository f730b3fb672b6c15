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

    /// <summary>One component (band) of a text part's fuzzy digest; matches only as a share of its part.</summary>
    public const string Fuzzy = "f1";

    /// <summary>Exact digest of one attachment's decoded bytes.</summary>
    public const string Attachment = "a1";

    /// <summary>Digest of one registrable domain that a link points to.</summary>
    public const string UrlDomain = "u1";

    /// <summary>The kind of a "kind:hex" fingerprint, or empty when it has none.</summary>
    public static string KindOf(string fingerprint)
    {
        var colon = fingerprint.IndexOf(':');
        return colon > 0 ? fingerprint[..colon] : "";
    }

    /// <summary>
    /// Whether one known-spam match of this fingerprint convicts a message by itself: only an exact
    /// text digest does. A fuzzy component convicts only together with enough of its part's other
    /// components (<see cref="IsFuzzy"/>). An attachment or URL-domain digest never does: logos,
    /// signatures, common documents and big sites are shared by spam and ham alike, so a1 and u1
    /// only add to the score. Unknown kinds (from a newer peer) never convict.
    /// </summary>
    public static bool ConvictsAlone(string fingerprint) => KindOf(fingerprint) == ExactText;

    /// <summary>Whether this is a component of a fuzzy digest.</summary>
    public static bool IsFuzzy(string fingerprint) => KindOf(fingerprint) == Fuzzy;

    /// <summary>
    /// Whether the fingerprint identifies the message's content (t1, f1), as opposed to supporting
    /// evidence shared with unrelated mail (a1, u1).
    /// </summary>
    public static bool IdentifiesContent(string fingerprint) => KindOf(fingerprint) is ExactText or Fuzzy;
}
