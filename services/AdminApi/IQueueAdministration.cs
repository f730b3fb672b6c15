using Gateway.V1;

namespace Gateway.AdminApi;

/// <summary>
/// Queue administration as the admin API needs it (protos/gateway/v1/queue_admin.proto), whatever holds the
/// queue: the standalone gateway's spool folder or the cluster's Kafka topics with their Redis index.
/// </summary>
public interface IQueueAdministration
{
    /// <summary>Counts by state over the whole queue and the oldest <paramref name="limit"/> matching
    /// messages.</summary>
    Task<QueueListing> ListAsync(QueuedMessageState filter, int limit, CancellationToken cancellationToken);

    /// <summary>One message with its recipients; null when it is not queued.</summary>
    Task<QueuedMessageInfo?> ShowAsync(string queueId, CancellationToken cancellationToken);

    /// <summary>Makes one message due now.</summary>
    Task<QueueActionOutcome> RetryAsync(string queueId, CancellationToken cancellationToken);

    /// <summary>Makes every waiting message due now; returns how many.</summary>
    Task<int> RetryAllAsync(CancellationToken cancellationToken);

    /// <summary>Takes one message out of the queue without delivering it and without a failure report.</summary>
    Task<QueueActionOutcome> DeleteAsync(string queueId, CancellationToken cancellationToken);
}
