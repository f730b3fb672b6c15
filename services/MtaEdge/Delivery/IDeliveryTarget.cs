using Gateway.MtaEdge.Queue;
using Gateway.V1;

namespace Gateway.MtaEdge.Delivery;

/// <summary>Where the delivery worker hands messages: a Maildir tree, an LMTP or an SMTP server.</summary>
public interface IDeliveryTarget
{
    /// <summary>The target as configured (e.g. "lmtp://127.0.0.1:24"), for logs.</summary>
    string Description { get; }

    /// <summary>How retro-remediation reaches the copies this target delivers.</summary>
    MailboxStoreKind StoreKind { get; }

    /// <summary>
    /// Makes one delivery attempt of <paramref name="content"/> to <paramref name="recipients"/>.
    /// Returns exactly one result per recipient, in the same order. Network, protocol and file
    /// errors are results (temporary or permanent), not exceptions; only cancellation throws.
    /// </summary>
    Task<IReadOnlyList<RecipientDeliveryResult>> DeliverAsync(
        QueuedMessage message,
        ReadOnlyMemory<byte> content,
        IReadOnlyList<QueuedRecipient> recipients,
        CancellationToken cancellationToken);
}
