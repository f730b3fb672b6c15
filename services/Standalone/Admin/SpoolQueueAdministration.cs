using Gateway.AdminApi;
using Gateway.MtaEdge.Admin;
using Gateway.V1;

namespace Gateway.Standalone.Admin;

/// <summary>The admin API's queue administration over the standalone gateway's spool folder.</summary>
public sealed class SpoolQueueAdministration(QueueAdministrator queue) : IQueueAdministration
{
    public Task<QueueListing> ListAsync(QueuedMessageState filter, int limit, CancellationToken cancellationToken) =>
        Task.FromResult(queue.List(filter, limit));

    public Task<QueuedMessageInfo?> ShowAsync(string queueId, CancellationToken cancellationToken) =>
        Task.FromResult(queue.Show(queueId));

    public Task<QueueActionOutcome> RetryAsync(string queueId, CancellationToken cancellationToken) =>
        Task.FromResult(Map(queue.Retry(queueId)));

    public Task<int> RetryAllAsync(CancellationToken cancellationToken) => Task.FromResult(queue.RetryAll());

    public Task<QueueActionOutcome> DeleteAsync(string queueId, CancellationToken cancellationToken) =>
        Task.FromResult(Map(queue.Delete(queueId)));

    private static QueueActionOutcome Map(QueueOperationOutcome outcome) => outcome switch
    {
        QueueOperationOutcome.Done => QueueActionOutcome.Done,
        QueueOperationOutcome.Busy => QueueActionOutcome.Busy,
        _ => QueueActionOutcome.NotFound,
    };
}
