namespace Gateway.MtaEdge.Smtp.Message;

/// <summary>What a recipient address is to the fingerprint filter's report intake.</summary>
public enum ReportRecipientRole
{
    /// <summary>An ordinary mailbox.</summary>
    Mailbox,

    /// <summary>The abuse mailbox: its mail is read as spam (or ham) reports.</summary>
    Abuse,

    /// <summary>A spam trap: accepted whatever mailboxes exist, learned as spam, never delivered.</summary>
    Trap,
}
