namespace Gateway.RetroRemediation.Configuration;

/// <summary>
/// Settings of the retro-remediation tier, bound from <c>Gateway:Remediation</c> and validated at
/// start-up by <see cref="RetroRemediationOptionsValidator"/>.
/// </summary>
public sealed class RetroRemediationOptions
{
    public const string SectionName = "Gateway:Remediation";

    /// <summary>
    /// How long a delivered copy is remembered. A conviction that comes later than this after
    /// delivery finds nothing: the copy has left the cache, and the user has likely read it anyway.
    /// </summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromHours(6);

    /// <summary>
    /// The folder convicted copies are moved to. For Maildir it becomes the Maildir++ folder
    /// <c>.Junk</c>; over IMAP a mailbox announced with the \Junk special use (RFC 6154) wins.
    /// </summary>
    public string JunkFolder { get; set; } = "Junk";

    /// <summary>The folder copies are delivered to and restored into, over IMAP.</summary>
    public string InboxFolder { get; set; } = "INBOX";

    /// <summary>
    /// When set, Maildir copies are only touched under this directory (the edge's delivery root);
    /// any other location is refused. Empty: any root, still checked for the
    /// <c>&lt;root&gt;/&lt;domain&gt;/&lt;mailbox&gt;</c> shape.
    /// </summary>
    public string MaildirRoot { get; set; } = "";

    /// <summary>Upper bound on the copies one event acts on; the rest are counted as skipped.</summary>
    public int MaxCopiesPerEvent { get; set; } = 10_000;

    /// <summary>How many copies of one event are acted on at the same time (IMAP logins in flight).</summary>
    public int MaxParallelActions { get; set; } = 4;

    /// <summary>How to reach mailboxes the edge delivered to over LMTP/SMTP. Needed only for such copies.</summary>
    public ImapStoreOptions Imap { get; set; } = new();
}
