using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Gateway.MtaEdge.Queue;
using MimeKit.Utils;

namespace Gateway.MtaEdge.Delivery.Dsn;

/// <summary>
/// Writes a delivery status notification (RFC 3464): a multipart/report (RFC 6522) with a readable
/// explanation, the machine-readable status per recipient (failed, delivered or relayed), and the
/// headers of the original message; the whole message only in a failure report whose sender asked
/// for it with RET=FULL (RFC 3461 4.3) and only up to <see cref="MaxReturnedMessageOctets"/>. The
/// sender's ENVID and each recipient's ORCPT are echoed (RFC 3461 6.2, 6.3).
/// </summary>
/// <remarks>
/// Written by hand rather than through a MIME library so every octet is known: CRLF line ends, ASCII
/// unless the addresses need UTF-8, in which case the RFC 6533 "global" types are used.
/// </remarks>
public static partial class DsnMessageBuilder
{
    /// <summary>Original headers quoted in the report at most (the rest is cut at a line end).</summary>
    public const int MaxQuotedHeaderOctets = 64 * 1024;

    /// <summary>Largest original returned whole with RET=FULL; a larger one is returned as headers.</summary>
    public const int MaxReturnedMessageOctets = 10 * 1024 * 1024;

    /// <summary>A failure report for recipients that failed for good.</summary>
    public static byte[] Build(
        QueuedMessage original,
        ReadOnlySpan<byte> originalContent,
        IReadOnlyList<QueuedRecipient> failed,
        string reportingHost,
        string messageId,
        DateTimeOffset now,
        out bool needsUtf8) =>
        Build(original, originalContent, failed.Select(r => new DsnEntry(r, DsnEntry.Failed)).ToList(),
            reportingHost, messageId, now, out needsUtf8);

    public static byte[] Build(
        QueuedMessage original,
        ReadOnlySpan<byte> originalContent,
        IReadOnlyList<DsnEntry> entries,
        string reportingHost,
        string messageId,
        DateTimeOffset now,
        out bool needsUtf8)
    {
        var failed = entries.Where(e => e.Action == DsnEntry.Failed).Select(e => e.Recipient).ToList();
        var succeeded = entries.Where(e => e.Action != DsnEntry.Failed).Select(e => e.Recipient).ToList();
        var returnFull = failed.Count > 0 && original.DsnReturn == "FULL"
            && originalContent.Length <= MaxReturnedMessageOctets;

        // The report needs SMTPUTF8 (and the RFC 6533 global delivery status) only when its sender's
        // address is not ASCII, or it returns a whole SMTPUTF8 message. A recipient address in UTF-8
        // travels as utf-8-addr-xtext ("j\x{F6}rg@example", RFC 6533 section 3), and quoted headers in
        // UTF-8 as 8-bit message/global-headers, which any 8BITMIME hop carries; so the report can
        // reach the sender even through hops without SMTPUTF8.
        needsUtf8 = !Ascii.IsValid(original.MailFrom) || (returnFull && original.SmtpUtf8);
        var headers = HeaderBlock(originalContent);
        var globalHeaders = needsUtf8 || !Ascii.IsValid(headers);

        var boundary = "=_dsn_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        var date = DateUtils.FormatDate(now);
        var host = HeaderText(reportingHost, utf8: false);

        var text = new StringBuilder();
        Line(text, $"From: Mail Delivery System <MAILER-DAEMON@{host}>");
        Line(text, $"To: <{HeaderText(original.MailFrom, needsUtf8)}>");
        Line(text, failed.Count > 0
            ? "Subject: Undelivered Mail Returned to Sender"
            : "Subject: Delivery report: your message was delivered");
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
        if (failed.Count > 0)
        {
            Line(text, $"Your message (queue id {original.QueueId}) could not be delivered to the following");
            Line(text, "recipient(s). This is a final report: no further attempt will be made.");
            Line(text, "");
            foreach (var recipient in failed)
            {
                Line(text, $"<{AddressText(recipient.Address, needsUtf8)}>:");
                Line(text, "    " + DiagnosticText(recipient.LastResult));
                Line(text, "");
            }
        }

        if (succeeded.Count > 0)
        {
            Line(text, $"As you asked, this reports that your message (queue id {original.QueueId}) was");
            Line(text, "delivered to, or passed on towards, the following recipient(s):");
            Line(text, "");
            foreach (var entry in entries.Where(e => e.Action != DsnEntry.Failed))
            {
                Line(text, $"<{AddressText(entry.Recipient.Address, needsUtf8)}>: {entry.Action}");
            }

            Line(text, "");
        }

        // Part 2: for programs (RFC 3464 section 2.2 per-message fields, 2.3 per-recipient fields).
        Line(text, "--" + boundary);
        Line(text, "Content-Type: " + (needsUtf8 ? "message/global-delivery-status" : "message/delivery-status"));
        Line(text, "");
        if (original.DsnEnvelopeId.Length > 0)
        {
            Line(text, $"Original-Envelope-Id: {HeaderText(original.DsnEnvelopeId, utf8: false)}");
        }

        Line(text, $"Reporting-MTA: dns; {host}");
        Line(text, $"X-Gateway-Queue-ID: {original.QueueId}");
        Line(text, $"Arrival-Date: {DateUtils.FormatDate(original.ReceivedAt)}");
        foreach (var entry in entries)
        {
            var recipient = entry.Recipient;
            Line(text, "");
            var semicolon = recipient.DsnOriginalRecipient.IndexOf(';');
            if (semicolon > 0)
            {
                Line(text, $"Original-Recipient: {recipient.DsnOriginalRecipient[..semicolon]}; "
                    + AddressText(recipient.DsnOriginalRecipient[(semicolon + 1)..], needsUtf8));
            }

            var addressType = Ascii.IsValid(recipient.Address) ? "rfc822" : "utf-8";
            Line(text, $"Final-Recipient: {addressType}; {AddressText(recipient.Address, needsUtf8)}");
            Line(text, $"Action: {entry.Action}");
            var status = entry.Action == DsnEntry.Failed
                ? StatusOf(recipient.LastResult)
                : SuccessStatusOf(recipient.LastResult);
            Line(text, $"Status: {status}");
            if (!string.IsNullOrEmpty(recipient.LastResult))
            {
                Line(text, $"Diagnostic-Code: smtp; {DiagnosticText(recipient.LastResult)}");
            }

            Line(text, $"Last-Attempt-Date: {date}");
        }

        Line(text, "");

        // Part 3: the original, whole (RET=FULL on a failure) or its headers.
        Line(text, "--" + boundary);
        if (returnFull)
        {
            Line(text, needsUtf8 ? "Content-Type: message/global" : "Content-Type: message/rfc822");
            Line(text, "Content-Transfer-Encoding: " + (Ascii.IsValid(originalContent) ? "7bit" : "8bit"));
        }
        else
        {
            Line(text, globalHeaders ? "Content-Type: message/global-headers" : "Content-Type: text/rfc822-headers");
            if (globalHeaders)
            {
                Line(text, "Content-Transfer-Encoding: 8bit");
            }
        }

        Line(text, "");

        var output = new MemoryStream();
        output.Write(Encoding.UTF8.GetBytes(text.ToString()));
        output.Write(returnFull ? WholeMessage(originalContent) : headers);
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

    /// <summary>The status of a success report: the 2.x.x code of the reply, or 2.0.0.</summary>
    public static string SuccessStatusOf(string? lastResult)
    {
        var match = ReplyPattern().Match(lastResult ?? "");
        return match.Groups["enhanced"].Success && match.Groups["enhanced"].Value[0] == '2'
            ? match.Groups["enhanced"].Value
            : "2.0.0";
    }

    /// <summary>The whole original, ending with CRLF so the closing boundary starts a line.</summary>
    private static byte[] WholeMessage(ReadOnlySpan<byte> content)
    {
        if (content.IsEmpty || content.EndsWith("\r\n"u8))
        {
            return content.ToArray();
        }

        return [.. content, (byte)'\r', (byte)'\n'];
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

    /// <summary>
    /// An address for the report: as is in a UTF-8 report, else non-ASCII characters (and the few that
    /// would make the form ambiguous) as RFC 6533 EmbeddedUnicodeChar, "\x{HEX}".
    /// </summary>
    private static string AddressText(string address, bool utf8)
    {
        if (utf8 || Ascii.IsValid(address))
        {
            return HeaderText(address, utf8);
        }

        var builder = new StringBuilder(address.Length + 16);
        foreach (var rune in address.EnumerateRunes())
        {
            if (rune.Value is > 0x20 and < 0x7F && rune.Value is not ('+' or '=' or '\\'))
            {
                builder.Append((char)rune.Value);
            }
            else
            {
                var hex = rune.Value.ToString("X2", System.Globalization.CultureInfo.InvariantCulture);
                builder.Append("\\x{").Append(hex).Append('}');
            }
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
