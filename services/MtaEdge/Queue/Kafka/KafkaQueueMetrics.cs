using Prometheus;

namespace Gateway.MtaEdge.Queue.Kafka;

internal static class KafkaQueueMetrics
{
    public static readonly Counter Orphans = Metrics.CreateCounter(
        "gateway_delivery_orphans_total",
        "Recipients found claimed by a dead edge, by what the store said (found, notfound, unknown: delivered again).",
        new CounterConfiguration { LabelNames = ["probe"] });
}
