namespace Gateway.MtaEdge.Queue;

/// <summary>
/// The durable queue. <see cref="StoreAsync"/> returns only once the message and its envelope
/// would survive a crash or power loss; the edge answers 250 after that and not before.
/// </summary>
public interface IMessageSpool
{
    /// <summary>A new queue id: unique, sortable by time, safe as a file name.</summary>
    string NewQueueId();

    /// <summary>
    /// Stores a message durably (content as it will be delivered, CRLF line ends, not dot-stuffed)
    /// and hands it to delivery. Throws when it cannot store safely; the caller then answers 4xx.
    /// </summary>
    Task StoreAsync(QueuedMessage message, ReadOnlyMemory<byte> content, CancellationToken cancellationToken);
}
