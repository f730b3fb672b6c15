using Gateway.MtaEdge.Smtp.Addressing;

namespace Gateway.MtaEdge.Smtp.Session;

/// <summary>One mail transaction: from MAIL to the end of DATA, RSET, or a new EHLO/HELO.</summary>
internal sealed class SmtpTransaction
{
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private readonly List<string> _recipients = new();

    public SmtpTransaction(SmtpPath mailFrom, string body, bool smtpUtf8)
    {
        MailFrom = mailFrom;
        Body = body;
        SmtpUtf8 = smtpUtf8;
    }

    public SmtpPath MailFrom { get; }

    /// <summary>The BODY= parameter (RFC 6152): "7BIT", "8BITMIME" or "" when not given.</summary>
    public string Body { get; }

    /// <summary>The client sent the SMTPUTF8 parameter (RFC 6531 3.4).</summary>
    public bool SmtpUtf8 { get; }

    /// <summary>Accepted recipients, each once, in the order first given.</summary>
    public IReadOnlyList<string> Recipients => _recipients;

    public bool HasRecipient(string address) => _seen.Contains(address);

    public void AddRecipient(string address)
    {
        if (_seen.Add(address))
        {
            _recipients.Add(address);
        }
    }
}
