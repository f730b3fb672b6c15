namespace Gateway.RetroRemediation.Configuration;

/// <summary>
/// The IMAP server (typically Dovecot) holding the mailboxes the edge delivers to over LMTP or SMTP.
/// Remediation logs in as a master user on behalf of each mailbox; a domain may have its own master
/// account (<see cref="DomainAccounts"/>).
/// </summary>
public sealed class ImapStoreOptions : StorePolicyOptions
{
    public ImapStoreOptions()
    {
        MaxConcurrency = 8;
    }

    /// <summary>Host name or address; empty means no IMAP store is configured.</summary>
    public string Host { get; set; } = "";

    public int Port { get; set; } = 143;

    public ImapSecurity Security { get; set; } = ImapSecurity.Auto;

    /// <summary>The master user (Dovecot <c>passdb { master = yes }</c>) that may open any mailbox.</summary>
    public string MasterUser { get; set; } = "";

    /// <summary>The master password inline. Prefer <see cref="MasterPasswordFile"/>; set only one of them.</summary>
    public string MasterPassword { get; set; } = "";

    /// <summary>A file holding the master password (trailing newline ignored), read once at start-up.</summary>
    public string MasterPasswordFile { get; set; } = "";

    /// <summary>Per-domain service accounts that replace the master user for mailboxes of that domain.</summary>
    public List<ImapDomainAccount> DomainAccounts { get; set; } = [];

    /// <summary>
    /// The login name of a mailbox, built from the tokens <c>{address}</c> (ann@example.test),
    /// <c>{local}</c> (ann) and <c>{domain}</c> (example.test); subaddresses are already removed.
    /// </summary>
    public string LoginFormat { get; set; } = "{address}";

    /// <summary>Limit on each network operation (connect, login, every command).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Logged-in sessions kept open for reuse, over all mailboxes.</summary>
    public int MaxIdleSessions { get; set; } = 32;

    /// <summary>An idle session older than this is logged out instead of reused.</summary>
    public TimeSpan SessionIdleTimeout { get; set; } = TimeSpan.FromMinutes(1);

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Host);

    /// <summary>
    /// The password actually used: <see cref="MasterPassword"/> or the content of
    /// <see cref="MasterPasswordFile"/>. Not public, so configuration binding never sets it and
    /// options dumps never show it.
    /// </summary>
    internal string ResolvedMasterPassword { get; set; } = "";

    /// <summary>Why <see cref="MasterPasswordFile"/> could not be read, reported by the validator.</summary>
    internal string? MasterPasswordFileError { get; set; }
}
