namespace Gateway.FingerprintFilter.Configuration;

/// <summary>The addresses whose mail is learned from (<c>Gateway:Fingerprint:Intake</c>).</summary>
public sealed class IntakeOptions
{
    /// <summary>
    /// Abuse mailboxes: mail to them is read as a report (RFC 5965 ARF, or a forward with the message
    /// attached as message/rfc822) and weighed by the reporter's record.
    /// </summary>
    public List<string> AbuseAddresses { get; set; } = [];

    /// <summary>Whether mail to an abuse address is still delivered to its mailbox after learning.</summary>
    public bool DeliverAbuseReports { get; set; } = true;

    /// <summary>Spam traps: addresses nobody uses; whatever reaches them is spam. Never delivered.</summary>
    public List<string> TrapAddresses { get; set; } = [];

    /// <summary>Messages attached to one forward that are learned (the rest are ignored).</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 100)]
    public int MaxAttachedMessages { get; set; } = 10;
}
