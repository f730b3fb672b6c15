using MimeKit;

namespace Gateway.MtaEdge.Smtp.Message;

/// <summary>
/// The domain of a message's From: address, for retro-remediation's safe-sender rule. Reads only the
/// header section; anything it cannot parse yields "" (the rule then falls back to the envelope sender).
/// </summary>
internal static class FromDomainReader
{
    public static string Read(byte[] content)
    {
        try
        {
            // HeaderList.Load stops at the blank line: the body is never read.
            using var stream = new MemoryStream(content, writable: false);
            var headers = HeaderList.Load(stream);
            var from = headers[HeaderId.From];
            if (from is null || !InternetAddressList.TryParse(from, out var addresses))
            {
                return "";
            }

            var mailbox = addresses.Mailboxes.FirstOrDefault();
            return mailbox?.Domain?.Trim().TrimEnd('.').ToLowerInvariant() ?? "";
        }
        catch (FormatException)
        {
            return "";
        }
    }
}
