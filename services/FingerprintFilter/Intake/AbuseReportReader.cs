using Gateway.FingerprintFilter.Store;
using MimeKit;

namespace Gateway.FingerprintFilter.Intake;

/// <summary>
/// Finds the reported messages in mail to the abuse mailbox: an RFC 5965 feedback report
/// (multipart/report; report-type=feedback-report, whose message/feedback-report part says the
/// Feedback-Type and whose third part is the reported message), or a plain forward carrying the
/// message as a message/rfc822 attachment. Inline forwards (the message pasted into the text) cannot
/// be told from the forwarder's own words and are not learned.
/// </summary>
public static class AbuseReportReader
{
    /// <summary>The outcome: what to learn, or why nothing.</summary>
    public sealed record Reading(IReadOnlyList<ReportedMessage> Messages, string Note);

    public static Reading Read(MimeMessage report, int maxMessages)
    {
        if (report.Body is MultipartReport multipartReport
            && string.Equals(multipartReport.ReportType, "feedback-report", StringComparison.OrdinalIgnoreCase))
        {
            return ReadFeedbackReport(multipartReport);
        }

        var attached = new List<ReportedMessage>();
        foreach (var part in report.BodyParts.OfType<MessagePart>())
        {
            if (attached.Count >= maxMessages)
            {
                break;
            }

            if (part.Message is { } message)
            {
                attached.Add(new ReportedMessage(Serialize(message), FingerprintState.Spam));
            }
        }

        return attached.Count > 0
            ? new Reading(attached, "forward")
            : new Reading([], "no-reported-message");
    }

    /// <summary>
    /// RFC 5965 section 2: a text part, the machine-readable report, then the message or its headers.
    /// </summary>
    private static Reading ReadFeedbackReport(MultipartReport report)
    {
        var fields = report.OfType<MessageFeedbackReport>().FirstOrDefault()?.Fields;
        var type = fields?[FeedbackTypeField]?.Trim().ToLowerInvariant() ?? "";

        // RFC 5965 section 7.3 registers abuse, fraud, other, virus; RFC 6650 adds not-spam; RFC 6591's
        // auth-failure reports are about authentication, not content, and are not learned.
        FingerprintState? verdict = type switch
        {
            "abuse" or "fraud" or "virus" => FingerprintState.Spam,
            "not-spam" => FingerprintState.Ham,
            _ => null,
        };
        if (verdict is null)
        {
            return new Reading([], $"feedback-type-{(type.Length == 0 ? "missing" : "ignored")}");
        }

        var original = report.OfType<MessagePart>().FirstOrDefault()?.Message;
        return original is null
            ? new Reading([], "feedback-report-without-message")
            : new Reading([new ReportedMessage(Serialize(original), verdict.Value)], "feedback-report");
    }

    private const string FeedbackTypeField = "Feedback-Type";

    private static ReadOnlyMemory<byte> Serialize(MimeMessage message)
    {
        using var buffer = new MemoryStream();
        message.WriteTo(FormatOptions.Default, buffer);
        return buffer.ToArray();
    }
}
