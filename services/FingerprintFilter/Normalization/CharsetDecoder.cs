using System.Text;
using MimeKit;

namespace Gateway.FingerprintFilter.Normalization;

/// <summary>
/// Turns a text part's decoded bytes into a string without ever failing: spam routinely carries
/// bogus labels ("default", "x-unknown"), says us-ascii over 8-bit bytes, or sends Latin-1 as UTF-8.
/// </summary>
public static class CharsetDecoder
{
    private static readonly Encoding StrictUtf8 = new UTF8Encoding(false, throwOnInvalidBytes: true);

    static CharsetDecoder() => EnsureCodePages();

    /// <summary>
    /// .NET knows only the Unicode charsets and Latin-1 until the code-pages provider is registered;
    /// without it windows-1252, koi8-r, big5, gb2312, iso-2022-jp … would all count as unknown.
    /// Registering twice is harmless.
    /// </summary>
    public static void EnsureCodePages() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    /// <summary>
    /// Decodes with the declared charset when .NET knows it. An unknown, missing, us-ascii or utf-8
    /// label means: UTF-8 if the bytes are valid UTF-8 (a byte-order mark wins), else Latin-1, which
    /// maps every byte and so never fails.
    /// </summary>
    public static string Decode(ReadOnlySpan<byte> bytes, ContentType? contentType)
    {
        var declared = Lookup(contentType);
        if (declared is null
            || declared.CodePage == Encoding.UTF8.CodePage
            || declared.CodePage == Encoding.ASCII.CodePage)
        {
            return DecodeUnlabelled(bytes);
        }

        return declared.GetString(bytes);
    }

    /// <summary>UTF-8 (or the Unicode form a byte-order mark names), else Latin-1.</summary>
    public static string DecodeUnlabelled(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith(Encoding.UTF8.Preamble))
        {
            return Encoding.UTF8.GetString(bytes[3..]);
        }

        if (bytes.Length >= 2 && bytes[0] == 0xFF && bytes[1] == 0xFE)
        {
            return Encoding.Unicode.GetString(bytes[2..]);
        }

        if (bytes.Length >= 2 && bytes[0] == 0xFE && bytes[1] == 0xFF)
        {
            return Encoding.BigEndianUnicode.GetString(bytes[2..]);
        }

        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return Encoding.Latin1.GetString(bytes);
        }
    }

    private static Encoding? Lookup(ContentType? contentType)
    {
        if (string.IsNullOrWhiteSpace(contentType?.Charset))
        {
            return null;
        }

        try
        {
            // MimeKit maps mail aliases (ks_c_5601-1987, cp1252, latin1 …) and returns null when unknown.
            return contentType.CharsetEncoding;
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException)
        {
            return null;
        }
    }
}
