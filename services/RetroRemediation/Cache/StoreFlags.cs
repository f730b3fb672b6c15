namespace Gateway.RetroRemediation.Cache;

/// <summary>Flags the Flag action set on a copy (and so the only ones its undo removes). Stored in 2 bits.</summary>
[Flags]
public enum StoreFlags : byte
{
    None = 0,

    /// <summary>IMAP \Flagged (RFC 9051 section 2.3.2), JMAP $flagged, Maildir info "F".</summary>
    Flagged = 1,

    /// <summary>The $Junk keyword (RFC 5788 registry), JMAP $junk.</summary>
    Junk = 2,
}
