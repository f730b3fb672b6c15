using System.ComponentModel.DataAnnotations;

namespace Gateway.FingerprintFilter.Configuration;

/// <summary>Settings of the fingerprint filter, bound from <c>Gateway:Fingerprint</c> and validated at start.</summary>
public sealed class FingerprintFilterOptions
{
    public const string SectionName = "Gateway:Fingerprint";

    /// <summary>
    /// A text part whose normalised text is shorter than this yields no text fingerprint: "thanks",
    /// "see attached" or a lone masked link occur in countless unrelated messages.
    /// </summary>
    [Range(1, 100_000)]
    public int MinTextChars { get; set; } = 40;

    /// <summary>
    /// A text part with fewer distinct word shingles than this gets no fuzzy digest (f1): short or
    /// repetitive texts resemble each other by accident. Each shingle is three consecutive words.
    /// </summary>
    [Range(8, 100_000)]
    public int MinFuzzyShingles { get; set; } = 16;

    /// <summary>Words of one text part that its fuzzy digest is computed from; the rest are ignored.</summary>
    [Range(100, 10_000_000)]
    public int MaxFuzzyWords { get; set; } = 50_000;

    /// <summary>Text parts of one message that get a fuzzy digest (the first ones in MIME order).</summary>
    [Range(1, 64)]
    public int MaxFuzzyParts { get; set; } = 4;

    /// <summary>Distinct registrable link domains of one message that get a u1 digest.</summary>
    [Range(1, 1000)]
    public int MaxUrlDomains { get; set; } = 16;

    /// <summary>Distinct link hosts collected per message while normalising.</summary>
    [Range(1, 10_000)]
    public int MaxLinkHosts { get; set; } = 64;

    /// <summary>
    /// Fingerprints per message at most (text kinds first). Delivery records carry them to
    /// retro-remediation, which accepts at most 256.
    /// </summary>
    [Range(8, 256)]
    public int MaxFingerprintsPerMessage { get; set; } = 200;

    /// <summary>How long a spam fingerprint is remembered after its last report.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "3650.00:00:00")]
    public TimeSpan SpamTtl { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How long a reversal (ham report) is remembered after its last report.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "3650.00:00:00")]
    public TimeSpan HamTtl { get; set; } = TimeSpan.FromDays(30);

    /// <summary>
    /// When the store cannot be reached: true accepts the message unscanned, false (the default)
    /// answers 451 so the sender retries and no known spam slips through during an outage.
    /// </summary>
    public bool FailOpen { get; set; }

    /// <summary>Larger messages are not parsed and get no fingerprints (the edge's size limit is far lower).</summary>
    [Range(1024, int.MaxValue)]
    public int MaxMessageBytes { get; set; } = 64 * 1024 * 1024;

    /// <summary>At most this many MIME entities are looked at per message; the rest are ignored.</summary>
    [Range(1, 10_000)]
    public int MaxMimeParts { get; set; } = 256;

    /// <summary>Deeper multipart nesting is parsed as an opaque leaf (guards the parser's recursion).</summary>
    [Range(1, 256)]
    public int MaxMimeDepth { get; set; } = 32;

    /// <summary>Decoded bytes of one text part that are normalised; the rest of the part is ignored.</summary>
    [Range(1024, 64 * 1024 * 1024)]
    public int MaxTextPartBytes { get; set; } = 1024 * 1024;

    /// <summary>How reports are weighed and when they convict.</summary>
    public LearningOptions Learning { get; set; } = new();

    /// <summary>How matches add up to a verdict.</summary>
    public ScoringOptions Scoring { get; set; } = new();

    /// <summary>Reject or tag convicted mail, per recipient domain.</summary>
    public PolicyOptions Policy { get; set; } = new();

    /// <summary>The in-memory copy of the store each node scans against.</summary>
    public HotCacheOptions HotCache { get; set; } = new();

    /// <summary>The abuse mailbox and the spam-trap addresses.</summary>
    public IntakeOptions Intake { get; set; } = new();

    /// <summary>The signed feed this site offers and the peers it imports from.</summary>
    public SharingOptions Sharing { get; set; } = new();
}
