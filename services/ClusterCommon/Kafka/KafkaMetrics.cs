using Prometheus;

namespace Gateway.ClusterCommon.Kafka;

/// <summary>Prometheus metrics of the Kafka plumbing, labelled by consumer group and topic.</summary>
internal static class KafkaMetrics
{
    public static readonly Counter Records = Metrics.CreateCounter(
        "gateway_kafka_records_total",
        "Records handled by a consumer, by outcome (done, failed: will be tried again).",
        new CounterConfiguration { LabelNames = ["group", "topic", "outcome"] });

    public static readonly Gauge InFlight = Metrics.CreateGauge(
        "gateway_kafka_records_in_flight",
        "Records a consumer is handling right now.",
        new GaugeConfiguration { LabelNames = ["group"] });

    public static readonly Histogram HandleSeconds = Metrics.CreateHistogram(
        "gateway_kafka_record_handle_seconds",
        "Time from dispatch to the end of a record's durable work.",
        new HistogramConfiguration
        {
            LabelNames = ["group", "topic"],
            Buckets = Histogram.ExponentialBuckets(0.001, 4, 10),
        });
}
