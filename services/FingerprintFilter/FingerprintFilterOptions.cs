using System.ComponentModel.DataAnnotations;

namespace Gateway.FingerprintFilter;

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
}
