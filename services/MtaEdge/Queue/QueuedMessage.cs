namespace Gateway.MtaEdge.Queue;

/// <summary>
/// The envelope and state of one accepted message, kept beside its content in the spool.
/// Serialized as JSON; property names are the on-disk format, so rename with care.
/// </summary>
public sealed class QueuedMessage
{
    public required string QueueId { get; init; }

    /// <summary>Reverse path; empty for the null sender (&lt;&gt;).</summary>
    public required string MailFrom { get; init; }

    public required List<QueuedRecipient> Recipients { get; init; }

    public required string ClientAddress { get; init; }

    public string ClientHelo { get; init; } = "";

    public DateTimeOffset ReceivedAt { get; init; }

    /// <summary>Fingerprints computed by the fingerprint filter at end of DATA ("kind:hex").</summary>
    public List<string> Fingerprints { get; init; } = new();

    /// <summary>The Message-ID header value (with angle brackets), added by the edge when missing.</summary>
    public string MessageId { get; init; } = "";

    /// <summary>Size in octets of the spooled content (including the added headers).</summary>
    public long Size { get; set; }

    /// <summary>True when the client declared SMTPUTF8 (next hop must offer it too).</summary>
    public bool SmtpUtf8 { get; init; }

    /// <summary>BODY= parameter of MAIL ("7BIT", "8BITMIME"), empty when absent.</summary>
    public string Body { get; init; } = "";

    /// <summary>
    /// RET of MAIL (RFC 3461 4.3): "FULL", "HDRS", or empty when not given (the edge then returns headers).
    /// </summary>
    public string DsnReturn { get; init; } = "";

    /// <summary>ENVID of MAIL (RFC 3461 4.4), decoded from xtext; empty when not given.</summary>
    public string DsnEnvelopeId { get; init; } = "";

    /// <summary>The session was protected by TLS (STARTTLS) when the message arrived.</summary>
    public bool ReceivedOverTls { get; init; }

    /// <summary>Domain of the RFC 5322 From: address, lowercased; empty when absent or unparsable.</summary>
    public string FromDomain { get; init; } = "";

    /// <summary>True when sender intelligence allow-listed the client at connect (remediation leaves such copies).</summary>
    public bool ClientAllowListed { get; init; }

    public int Attempts { get; set; }

    public DateTimeOffset NextAttemptAt { get; set; }

    public IEnumerable<QueuedRecipient> PendingRecipients => Recipients.Where(r => r.Status == RecipientStatus.Pending);
}
