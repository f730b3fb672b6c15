namespace Gateway.FingerprintFilter.Intake;

/// <summary>What a recipient address is to the fingerprint filter.</summary>
public enum RecipientRole
{
    /// <summary>An ordinary mailbox.</summary>
    Mailbox,

    /// <summary>An abuse mailbox: its mail is read as spam (or ham) reports.</summary>
    Abuse,

    /// <summary>A spam trap: its mail is spam, learned and never delivered.</summary>
    Trap,
}
