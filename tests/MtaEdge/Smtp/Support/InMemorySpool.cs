using System.Collections.Concurrent;
using Gateway.MtaEdge.Queue;
using Xunit;

namespace Gateway.MtaEdge.Tests.Smtp.Support;

/// <summary>Spool double: keeps stored messages in memory, or fails every store when told to.</summary>
public sealed class InMemorySpool : IMessageSpool
{
    private int _next;

    public Exception? Failure { get; set; }

    public ConcurrentQueue<StoredMessage> Stored { get; } = new();

    public string NewQueueId() =>
        "Q" + Interlocked.Increment(ref _next).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);

    public Task StoreAsync(QueuedMessage message, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        if (Failure is not null)
        {
            return Task.FromException(Failure);
        }

        Stored.Enqueue(new StoredMessage(message, content.ToArray()));
        return Task.CompletedTask;
    }

    public StoredMessage Single() => Assert.Single(Stored);
}
