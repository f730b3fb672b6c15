using Gateway.MtaEdge.Queue;

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
    public static RecipientDeliveryResult Delivered(QueuedRecipient recipient, string reply, string location = "") =>
        new(recipient, DeliveryOutcome.Delivered, reply, location);

    public static RecipientDeliveryResult Temporary(QueuedRecipient recipient, string reply) =>
        new(recipient, DeliveryOutcome.TemporaryFailure, reply);

    public static RecipientDeliveryResult Permanent(QueuedRecipient recipient, string reply) =>
        new(recipient, DeliveryOutcome.PermanentFailure, reply);
}
