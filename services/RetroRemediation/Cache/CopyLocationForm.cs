namespace Gateway.RetroRemediation.Cache;

/// <summary>How a copy's location is stored. 2 bits in the entry: never renumber.</summary>
internal enum CopyLocationForm : byte
{
    /// <summary>No location (IMAP, JMAP, webhook copies).</summary>
    None = 0,

    /// <summary>
    /// <c>&lt;root&gt;/&lt;domain&gt;/&lt;mailbox&gt;/{new|cur}/&lt;file&gt;</c> where domain and mailbox follow
    /// from the recipient: only the (interned) root, new/cur and the file name are stored.
    /// </summary>
    Maildir = 1,

    Verbatim = 2,
}
