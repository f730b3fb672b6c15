using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Gateway.MtaEdge.Queue;
using MimeKit.Utils;

namespace Gateway.MtaEdge.Delivery.Dsn;

/// <summary>
/// Writes a failure report (RFC 3464 delivery status notification) for recipients that failed for
/// good: a multipart/report (RFC 6522) with a readable explanation, the machine-readable status per
/// recipient, and the headers of the original message (never its body, which may be what was refused).
/// </summary>
/// <remarks>
/// Written by hand rather than through a MIME library so every octet is known: CRLF line ends, ASCII
/// unless the addresses need UTF-8, in which case the RFC 6533 "global" types are used.
/// </remarks>
public static partial class DsnMessageBuilder
{
    /// <summary>Original headers quoted in the report at most (the rest is cut at a line end).</summary>
    public const int MaxQuotedHeaderOctets = 64 * 1024;

    public static byte[] Build(
        QueuedMessage original,
        ReadOnlySpan<byte> originalContent,
        IReadOnlyList<QueuedRecipient> failed,
        string reportingHost,
        string messageId,
        DateTimeOffset now,
        out bool needsUtf8)
    {
        needsUtf8 = original.SmtpUtf8
            || !Ascii.IsValid(original.MailFrom)
            || failed.Any(r => !Ascii.IsValid(r.Address));
        var boundary = "=_dsn_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        var date = DateUtils.FormatDate(now);
        var host = HeaderText(reportingHost, utf8: false);

        var text = new StringBuilder();
        Line(text, $"From: Mail Delivery System <MAILER-DAEMON@{host}>");
        Line(text, $"To: <{HeaderText(original.MailFrom, needsUtf8)}>");
        Line(text, "Subject: Undelivered Mail Returned to Sender");
        Line(text, $"Date: {date}");
        Line(text, $"Message-ID: {messageId}");

        // RFC 3834 section 5: marks the report as machine-made, so responders do not answer it.
        Line(text, "Auto-Submitted: auto-replied");
        Line(text, "MIME-Version: 1.0");
        Line(text, $"Content-Type: multipart/report; report-type=delivery-status; boundary=\"{boundary}\"");
        Line(text, "");
        Line(text, "This is a MIME-encapsulated delivery status notification.");
        Line(text, "");

        // Part 1: for people.
        Line(text, "--" + boundary);
        Line(text, "Content-Type: text/plain; charset=utf-8");
        Line(text, needsUtf8 ? "Content-Transfer-Encoding: 8bit" : "Content-Transfer-Encoding: 7bit");
        Line(text, "");
        Line(text, $"This is the mail system at {host}.");
        Line(text, "");
        Line(text, $"Your message (queue id {original.QueueId}) could not be delivered to the following");
        Line(text, "recipient(s). This is a final report: no further attempt will be made.");
        Line(text, "");
        foreach (var recipient in failed)
        {
            Line(text, $"<{HeaderText(recipient.Address, needsUtf8)}>:");
            Line(text, "    " + DiagnosticText(recipient.LastResult));
            Line(text, "");
        }

        // Part 2: for programs (RFC 3464 section 2.2 per-message fields, 2.3 per-recipient fields).
        Line(text, "--" + boundary);
        Line(text, "Content-Type: " + (needsUtf8 ? "message/global-delivery-status" : "message/delivery-status"));
        Line(text, "");
        Line(text, $"Reporting-MTA: dns; {host}");
        Line(text, $"X-Gateway-Queue-ID: {original.QueueId}");
        Line(text, $"Arrival-Date: {DateUtils.FormatDate(original.ReceivedAt)}");
        foreach (var recipient in failed)
        {
            Line(text, "");
            var addressType = needsUtf8 && !Ascii.IsValid(recipient.Address) ? "utf-8" : "rfc822";
            Line(text, $"Final-Recipient: {addressType}; {HeaderText(recipient.Address, needsUtf8)}");
            Line(text, "Action: failed");
            Line(text, $"Status: {StatusOf(recipient.LastResult)}");
            if (!string.IsNullOrEmpty(recipient.LastResult))
            {
                Line(text, $"Diagnostic-Code: smtp; {DiagnosticText(recipient.LastResult)}");
            }

            Line(text, $"Last-Attempt-Date: {date}");
        }

        Line(text, "");

        // Part 3: the original headers.
        Line(text, "--" + boundary);
        Line(text, needsUtf8 ? "Content-Type: message/global-headers" : "Content-Type: text/rfc822-headers");
        Line(text, "");

        var output = new MemoryStream();
        output.Write(Encoding.UTF8.GetBytes(text.ToString()));
        output.Write(HeaderBlock(originalContent));
        output.Write(Encoding.ASCII.GetBytes($"\r\n--{boundary}--\r\n"));
        return output.ToArray();
    }

    /// <summary>
    /// The RFC 3463 status for the report: the enhanced code of the last reply, or one made from its
    /// class. A message that expired while failing temporarily keeps its 4.x.x code (RFC 3464 section
    /// 2.3.4 allows a transient status with Action: failed).
    /// </summary>
    public static string StatusOf(string? lastResult)
    {
        if (string.IsNullOrEmpty(lastResult))
        {
            return "5.0.0";
        }

        var match = ReplyPattern().Match(lastResult);
        if (match.Groups["enhanced"].Success)
        {
            return match.Groups["enhanced"].Value;
        }

        return match.Success && match.Groups["code"].Value[0] == '4' ? "4.0.0" : "5.0.0";
    }

    /// <summary>The header section of the content, including its last CRLF, bounded in size.</summary>
    private static ReadOnlySpan<byte> HeaderBlock(ReadOnlySpan<byte> content)
    {
        var end = content.IndexOf("\r\n\r\n"u8);
        var block = end >= 0 ? content[..(end + 2)] : content;
        if (content.StartsWith("\r\n"u8))
        {
            return [];
        }

        if (block.Length > MaxQuotedHeaderOctets)
        {
            block = block[..MaxQuotedHeaderOctets];
        }

        // Always end on a complete line, so the closing boundary starts a line of its own.
        var lastLineEnd = block.LastIndexOf("\r\n"u8);
        return lastLineEnd < 0 ? [] : block[..(lastLineEnd + 2)];
    }

    /// <summary>Text from the wire or the envelope, made safe for one header line.</summary>
    private static string HeaderText(string? value, bool utf8)
    {
        var builder = new StringBuilder(value?.Length ?? 0);
        foreach (var c in value ?? "")
        {
            builder.Append(char.IsControl(c) || (!utf8 && c > 0x7E) ? '?' : c);
        }

        return builder.ToString();
    }

    private static string DiagnosticText(string? lastResult) =>
        string.IsNullOrEmpty(lastResult) ? "delivery failed" : HeaderText(lastResult, utf8: false);

    private static void Line(StringBuilder text, string line) => text.Append(line).Append("\r\n");

    [GeneratedRegex(@"^(?<code>[2-5][0-9]{2})(?:[ -](?<enhanced>[245]\.[0-9]{1,3}\.[0-9]{1,3})(?=\s|$))?",
        RegexOptions.CultureInvariant)]
    private static partial Regex ReplyPattern();
}
