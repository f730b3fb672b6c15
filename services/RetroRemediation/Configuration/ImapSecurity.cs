namespace Gateway.RetroRemediation.Configuration;

/// <summary>How the IMAP connection to the mailbox store is protected.</summary>
public enum ImapSecurity
{
    /// <summary>
    /// <see cref="None"/> when the host is a loopback address (the store runs on this machine),
    /// otherwise <see cref="StartTls"/>, so the master password never crosses a network in clear.
    /// </summary>
    Auto,

    /// <summary>Plain text; only sensible on loopback or a trusted private link.</summary>
    None,

    /// <summary>Connect in clear, then require STARTTLS (RFC 3501 section 6.2.1).</summary>
    StartTls,

    /// <summary>TLS from the first byte (implicit TLS, usually port 993; RFC 8314).</summary>
    SslOnConnect,
}
