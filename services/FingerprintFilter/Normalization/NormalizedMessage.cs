namespace Gateway.FingerprintFilter.Normalization;

/// <summary>
/// What fingerprints are computed from: the normalised text parts and the attachments of one message.
/// Owns the parsed message that attachments stream from, so dispose it once the digests are taken.
/// </summary>
public sealed class NormalizedMessage : IDisposable
{
    private readonly IDisposable? _owner;

    public NormalizedMessage(
        string? messageId,
        IReadOnlyList<NormalizedText> texts,
        IReadOnlyList<NormalizedAttachment> attachments,
        IDisposable? owner)
        : this(messageId, texts, attachments, [], owner)
    {
    }

    public NormalizedMessage(
        string? messageId,
        IReadOnlyList<NormalizedText> texts,
        IReadOnlyList<NormalizedAttachment> attachments,
        IReadOnlyList<string> linkHosts,
        IDisposable? owner)
    {
        LinkHosts = linkHosts;
        MessageId = messageId;
        Texts = texts;
        Attachments = attachments;
        _owner = owner;
    }

    /// <summary>What an unparseable message normalises to: nothing to fingerprint.</summary>
    public static NormalizedMessage Empty { get; } = new(null, [], [], null);

    /// <summary>The Message-ID without angle brackets, or null when absent.</summary>
    public string? MessageId { get; }

    public IReadOnlyList<NormalizedText> Texts { get; }

    public IReadOnlyList<NormalizedAttachment> Attachments { get; }

    /// <summary>
    /// The distinct hosts (lower case) that links in the text parts point to: URLs in the text and
    /// link targets of HTML tags, in first-seen order.
    /// </summary>
    public IReadOnlyList<string> LinkHosts { get; }

    public void Dispose() => _owner?.Dispose();
}
