using Gateway.MtaEdge.Smtp.Addressing;
using Gateway.MtaEdge.Smtp.Protocol;

namespace Gateway.MtaEdge.Smtp.Session;

/// <summary>One mail transaction: from MAIL to the end of DATA or the last BDAT, RSET, or a new EHLO/HELO.</summary>
internal sealed class SmtpTransaction
{
    private readonly Dictionary<string, RecipientDsn> _seen = new(StringComparer.Ordinal);
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

    /// <summary>RET= of MAIL (RFC 3461 4.3): "FULL", "HDRS" or "".</summary>
    public string DsnReturn { get; init; } = "";

    /// <summary>ENVID= of MAIL (RFC 3461 4.4), decoded; "" when not given.</summary>
    public string DsnEnvelopeId { get; init; } = "";

    /// <summary>The chunks received so far when the message comes by BDAT (RFC 3030); null for DATA.</summary>
    public ChunkDecoder? Chunks { get; set; }

    /// <summary>Accepted recipients, each once, in the order first given.</summary>
    public IReadOnlyList<string> Recipients => _recipients;

    public bool HasRecipient(string address) => _seen.ContainsKey(address);

    /// <summary>The DSN parameters given with a recipient's first RCPT.</summary>
    public RecipientDsn DsnOf(string address) => _seen.GetValueOrDefault(address) ?? RecipientDsn.None;

    public void AddRecipient(string address, RecipientDsn dsn)
    {
        if (_seen.TryAdd(address, dsn))
        {
            _recipients.Add(address);
        }
    }
}
