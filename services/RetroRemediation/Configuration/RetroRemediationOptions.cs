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
    /// <c>.Junk</c>; over IMAP and JMAP a mailbox announced as the Junk folder (RFC 6154, RFC 8621 role) wins.
    /// </summary>
    public string JunkFolder { get; set; } = "Junk";

    /// <summary>The folder of the MoveToQuarantine action, created when missing.</summary>
    public string QuarantineFolder { get; set; } = "Quarantine";

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

    /// <summary>Record what would be done to every store, touch nothing.</summary>
    public bool DryRun { get; set; }

    /// <summary>
    /// Senders whose copies are never touched: an address (<c>ceo@partner.test</c>) matches the envelope
    /// sender; a domain (<c>partner.test</c>) matches the envelope sender's domain or the From: domain,
    /// and their subdomains. Judged when the copy is recorded. Names are not authenticated here: pair
    /// this with SPF/DMARC checks at the edge.
    /// </summary>
    public List<string> SafeSenders { get; set; } = [];

    /// <summary>Recipients (addresses or domains) whose copies are never touched, e.g. a legal-hold mailbox.</summary>
    public List<string> ExemptRecipients { get; set; } = [];

    public RetryOptions Retry { get; set; } = new();

    public AuditOptions Audit { get; set; } = new();

    public MaildirStoreOptions Maildir { get; set; } = new();

    /// <summary>How to reach mailboxes the edge delivered to over LMTP/SMTP. Needed only for such copies.</summary>
    public ImapStoreOptions Imap { get; set; } = new();

    public JmapStoreOptions Jmap { get; set; } = new();

    public WebhookStoreOptions Webhook { get; set; } = new();
}
