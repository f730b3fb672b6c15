namespace Gateway.MtaEdge.Delivery.Transfer;

/// <summary>
/// An open, greeted connection to a next hop with the extensions it offered (after STARTTLS, if any).
/// </summary>
internal sealed class TransferSession(
    MailTransferConnection connection, Dictionary<string, string> extensions, DateTimeOffset openedAt)
{
    public MailTransferConnection Connection { get; } = connection;

    public Dictionary<string, string> Extensions { get; } = extensions;

    public DateTimeOffset OpenedAt { get; } = openedAt;

    /// <summary>Transactions run on it so far.</summary>
    public int Uses { get; set; }

    /// <summary>When it went back to the pool.</summary>
    public DateTimeOffset IdleSince { get; set; }
}
