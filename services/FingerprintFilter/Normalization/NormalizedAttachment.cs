namespace Gateway.FingerprintFilter.Normalization;

/// <summary>
/// A non-text part (attachment, inline image, embedded message). Its decoded bytes are streamed on
/// demand rather than copied, so a large attachment is read once, straight into whatever digests it.
/// </summary>
public sealed class NormalizedAttachment
{
    private readonly Action<Stream, CancellationToken> _writeDecoded;

    public NormalizedAttachment(string mediaType, Action<Stream, CancellationToken> writeDecoded)
    {
        MediaType = mediaType;
        _writeDecoded = writeDecoded;
    }

    public string MediaType { get; }

    /// <summary>
    /// Writes the transfer-decoded content. Line-oriented encodings (7bit, 8bit, quoted-printable)
    /// come out with LF line ends and no trailing line breaks, so CRLF and LF copies digest alike.
    /// </summary>
    public void WriteDecodedTo(Stream destination, CancellationToken cancellationToken) =>
        _writeDecoded(destination, cancellationToken);
}
