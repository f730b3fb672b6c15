namespace Gateway.MtaEdge.Delivery;

/// <summary>How accepted mail reaches the mailboxes.</summary>
public enum DeliveryTargetKind
{
    /// <summary>Files written by the edge into a Maildir++ tree.</summary>
    Maildir,

    /// <summary>RFC 2033 LMTP to a mailbox server (e.g. Dovecot).</summary>
    Lmtp,

    /// <summary>RFC 5321 SMTP to a next-hop server.</summary>
    Smtp,
}
