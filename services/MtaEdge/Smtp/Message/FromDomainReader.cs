using MimeKit;

namespace Gateway.MtaEdge.Smtp.Message;

/// <summary>
/// The domain of a message's From: address, for retro-remediation's safe-sender rule, from the field value that
/// <see cref="HeaderScanner"/> found. Anything it cannot parse yields "" (the rule then falls back to the envelope
/// sender).
/// </summary>
internal static class FromDomainReader
{
    public static string Read(string? fromValue)
    {
        if (string.IsNullOrWhiteSpace(fromValue) || !InternetAddressList.TryParse(fromValue, out var addresses))
        {
            return "";
        }

        var mailbox = addresses.Mailboxes.FirstOrDefault();
        return mailbox?.Domain?.Trim().TrimEnd('.').ToLowerInvariant() ?? "";
    }
}
