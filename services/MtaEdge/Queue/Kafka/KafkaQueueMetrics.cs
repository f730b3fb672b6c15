using Prometheus;

namespace Gateway.MtaEdge.Queue.Kafka;

internal static class KafkaQueueMetrics
{
    public static readonly Counter Orphans = Metrics.CreateCounter(
        "gateway_delivery_orphans_total",
        "Recipients found claimed by a dead edge, by what the store said (found, notfound, unknown: delivered again).",
        new CounterConfiguration { LabelNames = ["probe"] });

    public static readonly Counter IndexFailures = Metrics.CreateCounter(
        "gateway_queue_index_failures_total",
        "Queue index writes in Redis that failed (advisory: delivery goes on; the listing may be stale), by operation.",
        new CounterConfiguration { LabelNames = ["operation"] });
}
