using Gateway.MtaEdge.Queue;
using Gateway.V1;

namespace Gateway.MtaEdge.Delivery;

/// <summary>
/// The result of one attempt for one recipient. <paramref name="Reply"/> is written like an SMTP
/// reply ("250 2.0.0 ...", "451 4.4.1 ...") whatever the target, so logs and bounces read alike.
/// <paramref name="Location"/> is the absolute path of the written file for Maildir, else empty.
/// </summary>
public sealed record RecipientDeliveryResult(
    QueuedRecipient Recipient,
    DeliveryOutcome Outcome,
    string Reply,
    string Location = "")
{
    /// <summary>Success reports (RFC 3464 Action): the copy reached a mailbox.</summary>
    public const string ActionDelivered = "delivered";

    /// <summary>Success reports: handed to a next hop that does not speak DSN, so no more reports will come.</summary>
    public const string ActionRelayed = "relayed";

    /// <summary>
    /// The failure is the host's, not this recipient's (no connection, refused greeting or hello,
    /// connection lost, TLS required but missing): another host of the same route may do better.
    /// </summary>
    public bool HostFailure { get; init; }

    /// <summary>
    /// What a success report (NOTIFY=SUCCESS) says about a delivered copy: <see cref="ActionDelivered"/>,
    /// <see cref="ActionRelayed"/>, or empty when the next hop accepted the DSN parameters and reports
    /// itself (RFC 3461 section 5.2.2).
    /// </summary>
    public string DsnAction { get; init; } = ActionDelivered;

    /// <summary>Where retro-remediation finds the copy; null: the worker's target says.</summary>
    public MailboxStoreKind? Store { get; init; }

    /// <summary>Delivered outside the local mailboxes (a report to a remote sender): nothing to remediate.</summary>
    public bool Remote { get; init; }

    /// <summary>The target that gave this result, for logs; empty: the worker's target.</summary>
    public string Target { get; init; } = "";

    public static RecipientDeliveryResult Delivered(QueuedRecipient recipient, string reply, string location = "") =>
        new(recipient, DeliveryOutcome.Delivered, reply, location);

    public static RecipientDeliveryResult Temporary(QueuedRecipient recipient, string reply) =>
        new(recipient, DeliveryOutcome.TemporaryFailure, reply);

    public static RecipientDeliveryResult Permanent(QueuedRecipient recipient, string reply) =>
        new(recipient, DeliveryOutcome.PermanentFailure, reply);
}
