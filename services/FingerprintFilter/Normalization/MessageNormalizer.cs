using Gateway.FingerprintFilter.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Gateway.FingerprintFilter.Normalization;

/// <summary>
/// Parses a raw message with MimeKit and reduces it to what fingerprints are taken from: one
/// normalised text per displayable text part and one decoded byte stream per other part.
/// Hostile input is the normal case here, so this never throws: a message MimeKit cannot parse
/// normalises to nothing (and is logged at Debug), a part that cannot be decoded is skipped.
/// </summary>
public sealed class MessageNormalizer
{
    private static readonly byte[] MboxSeparator = "From "u8.ToArray();

    // Embedded messages are re-serialised to digest them; LF line ends match what the canonical
    // stream produces anyway, so the choice only saves work.
    private static readonly FormatOptions EmbeddedFormat = CreateEmbeddedFormat();

    private readonly FingerprintFilterOptions _options;
    private readonly ParserOptions _parserOptions;
    private readonly ILogger<MessageNormalizer> _logger;

    static MessageNormalizer() => CharsetDecoder.EnsureCodePages();

    public MessageNormalizer(IOptions<FingerprintFilterOptions> options, ILogger<MessageNormalizer> logger)
    {
        _options = options.Value;
        _logger = logger;
        _parserOptions = ParserOptions.Default.Clone();
        _parserOptions.MaxMimeDepth = _options.MaxMimeDepth;
    }

    /// <summary>Normalises a raw RFC 5322 message (CRLF or bare LF, optionally led by an mbox "From " line).</summary>
    /// <exception cref="OperationCanceledException">Only when <paramref name="cancellationToken"/> fires.</exception>
    public NormalizedMessage Normalize(ReadOnlyMemory<byte> raw, CancellationToken cancellationToken = default)
    {
        if (raw.Length > _options.MaxMessageBytes)
        {
            FingerprintFilterLog.MessageTooLarge(_logger, raw.Length, _options.MaxMessageBytes);
            return NormalizedMessage.Empty;
        }

        MimeMessage? message = null;
        try
        {
            message = Parse(SkipMboxSeparator(raw), cancellationToken);
            var parts = new PartCollector(this, cancellationToken);
            parts.Visit(message.Body);
            if (parts.LimitReached)
            {
                FingerprintFilterLog.PartLimitReached(_logger, _options.MaxMimeParts);
            }

            return new NormalizedMessage(
                MessageIdOf(message), parts.Texts, parts.Attachments, parts.Links.Hosts, message);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            message?.Dispose();
            throw;
        }
        catch (Exception ex)
        {
            message?.Dispose();
            FingerprintFilterLog.MessageUnparseable(_logger, raw.Length, ex);
            return NormalizedMessage.Empty;
        }
    }

    /// <summary>
    /// The mbox "From " envelope line (RFC 4155) is not a header; stored mail often still has it.
    /// </summary>
    private static ReadOnlyMemory<byte> SkipMboxSeparator(ReadOnlyMemory<byte> raw)
    {
        if (!raw.Span.StartsWith(MboxSeparator))
        {
            return raw;
        }

        var lineEnd = raw.Span.IndexOf((byte)'\n');
        return lineEnd < 0 ? ReadOnlyMemory<byte>.Empty : raw[(lineEnd + 1)..];
    }

    private MimeMessage Parse(ReadOnlyMemory<byte> raw, CancellationToken cancellationToken)
    {
        var stream = System.Runtime.InteropServices.MemoryMarshal.TryGetArray(raw, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(raw.ToArray(), writable: false);

        // Persistent: parts refer to slices of the (immutable) input instead of copying them.
        var parser = new MimeParser(_parserOptions, stream, MimeFormat.Entity, persistent: true);
        return parser.ParseMessage(cancellationToken);
    }

    private static string? MessageIdOf(MimeMessage message)
    {
        if (!string.IsNullOrEmpty(message.MessageId))
        {
            return message.MessageId;
        }

        // Not a valid msg-id (RFC 5322 section 3.6.4) but present: keep what the sender wrote.
        var raw = message.Headers[HeaderId.MessageId]?.Trim();
        return string.IsNullOrEmpty(raw) ? null : raw.Trim('<', '>');
    }

    private static NormalizedText NormalizeText(string mediaType, string decoded, bool html, LinkCollector links) =>
        new(mediaType,
            TextCanonicalizer.Canonicalize(html ? HtmlTextExtractor.Extract(decoded, links) : decoded, links));

    private string DecodeText(MimePart part, CancellationToken cancellationToken)
    {
        using var sink = new BoundedBufferStream(_options.MaxTextPartBytes);
        part.Content?.DecodeTo(sink, cancellationToken);
        return CharsetDecoder.Decode(sink.Kept, part.ContentType);
    }

    private static NormalizedAttachment AttachmentOf(MimePart part)
    {
        // Base64, uuencode and binary carry exact bytes; the other encodings carry lines.
        var lineOriented = part.ContentTransferEncoding is not
            (ContentEncoding.Base64 or ContentEncoding.UUEncode or ContentEncoding.Binary);
        return new NormalizedAttachment(part.ContentType.MimeType.ToLowerInvariant(), (destination, token) =>
        {
            if (part.Content is null)
            {
                return;
            }

            if (!lineOriented)
            {
                part.Content.DecodeTo(destination, token);
                return;
            }

            var canonical = new LineEndingCanonicalStream(destination);
            part.Content.DecodeTo(canonical, token);
            canonical.Complete();
        });
    }

    private static NormalizedAttachment AttachmentOf(MessagePart part) =>
        new(part.ContentType.MimeType.ToLowerInvariant(), (destination, token) =>
        {
            if (part.Message is null)
            {
                return;
            }

            var canonical = new LineEndingCanonicalStream(destination);
            part.Message.WriteTo(EmbeddedFormat, canonical, token);
            canonical.Complete();
        });

    private static FormatOptions CreateEmbeddedFormat()
    {
        var format = FormatOptions.Default.Clone();
        format.NewLineFormat = NewLineFormat.Unix;
        return format;
    }

    private static bool LooksLikeHtml(string text) =>
        text.Contains("<html", StringComparison.OrdinalIgnoreCase)
        || text.Contains("<body", StringComparison.OrdinalIgnoreCase);

    /// <summary>Walks one message's MIME tree, bounded by MaxMimeParts.</summary>
    private sealed class PartCollector(MessageNormalizer owner, CancellationToken cancellationToken)
    {
        private int _visited;

        public List<NormalizedText> Texts { get; } = [];

        public List<NormalizedAttachment> Attachments { get; } = [];

        public LinkCollector Links { get; } = new(owner._options.MaxLinkHosts);

        public bool LimitReached { get; private set; }

        public void Visit(MimeEntity? entity)
        {
            if (entity is null)
            {
                return;
            }

            if (_visited++ >= owner._options.MaxMimeParts)
            {
                LimitReached = true;
                return;
            }

            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                VisitEntity(entity);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // One undecodable part must not cost the message its other fingerprints.
                FingerprintFilterLog.PartSkipped(owner._logger, entity.ContentType.MimeType, ex);
            }
        }

        private void VisitEntity(MimeEntity entity)
        {
            switch (entity)
            {
                case Multipart { Count: 0 } empty:
                    // The boundary never occurs: MimeKit leaves the whole body in the preamble.
                    // Readers' clients show it as one plain part, so it is fingerprinted as one.
                    if (!string.IsNullOrWhiteSpace(empty.Preamble))
                    {
                        Texts.Add(NormalizeText("text/plain", empty.Preamble, LooksLikeHtml(empty.Preamble), Links));
                    }

                    break;
                case Multipart multipart:
                    foreach (var child in multipart)
                    {
                        Visit(child);
                    }

                    break;
                case MessagePart embedded:
                    // A forwarded or bounced message is an attachment, not this message's text: a
                    // ham that quotes a spam (an abuse report, a list discussing it) must not share
                    // the spam's text fingerprints.
                    Attachments.Add(AttachmentOf(embedded));
                    break;
                case TextPart text when !text.IsAttachment && (text.IsPlain || text.IsHtml):
                    var decoded = owner.DecodeText(text, cancellationToken);
                    Texts.Add(NormalizeText(text.ContentType.MimeType.ToLowerInvariant(), decoded, text.IsHtml, Links));
                    break;
                case MimePart part:
                    Attachments.Add(AttachmentOf(part));
                    break;
            }
        }
    }

    /// <summary>Keeps the distinct hosts of the links it is given, at most <c>capacity</c> of them.</summary>
    private sealed class LinkCollector(int capacity) : ICollection<string>
    {
        private readonly HashSet<string> _seen = new(StringComparer.Ordinal);

        public List<string> Hosts { get; } = [];

        public int Count => Hosts.Count;

        public bool IsReadOnly => false;

        public void Add(string link)
        {
            if (Hosts.Count < capacity && LinkHost.Of(link) is { } host && _seen.Add(host))
            {
                Hosts.Add(host);
            }
        }

        public void Clear() => throw new NotSupportedException();

        public bool Contains(string item) => _seen.Contains(item);

        public void CopyTo(string[] array, int arrayIndex) => Hosts.CopyTo(array, arrayIndex);

        public bool Remove(string item) => throw new NotSupportedException();

        public IEnumerator<string> GetEnumerator() => Hosts.GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
