namespace Gateway.MtaEdge.Smtp.Session;

/// <summary>Where an SMTP session stands (RFC 5321 4.1.4 command ordering).</summary>
internal enum SmtpSessionState
{
    /// <summary>Greeted; EHLO or HELO comes next.</summary>
    AwaitingHello,

    /// <summary>Hello done, no mail transaction open.</summary>
    Ready,

    /// <summary>MAIL accepted; no recipient accepted yet.</summary>
    MailGiven,

    /// <summary>At least one RCPT accepted: DATA may follow.</summary>
    RecipientsGiven,

    /// <summary>The session ends after the replies already queued.</summary>
    Closed,
}
