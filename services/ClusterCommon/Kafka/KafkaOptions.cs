using System.ComponentModel.DataAnnotations;

namespace Gateway.ClusterCommon.Kafka;

/// <summary>
/// How the cluster services reach Kafka, bound from <c>Gateway:Kafka</c>. Plain Kafka client settings:
/// the same values work against a real cluster and against librdkafka's mock cluster.
/// </summary>
public sealed class KafkaOptions
{
    public const string SectionName = "Gateway:Kafka";

    /// <summary>Comma-separated <c>host:port</c> list of brokers to bootstrap from.</summary>
    [Required(ErrorMessage = "Gateway:Kafka:BootstrapServers is required in cluster mode (e.g. 127.0.0.1:9092).")]
    public string BootstrapServers { get; set; } = "";

    /// <summary>Prefix of every topic name, so several gateways can share one Kafka cluster.</summary>
    [RegularExpression("^[A-Za-z0-9._-]{0,100}$",
        ErrorMessage = "Gateway:Kafka:TopicPrefix may hold letters, digits, '.', '_' and '-' only.")]
    public string TopicPrefix { get; set; } = "gateway.";

    /// <summary>
    /// Create missing topics at start with <see cref="Partitions"/>, <see cref="ReplicationFactor"/> and a
    /// <c>max.message.bytes</c> that fits the largest record. Off: topics must exist already (or the broker
    /// creates them on first use, as librdkafka's mock cluster does); they are still looked up at start.
    /// </summary>
    public bool CreateTopics { get; set; } = true;

    [Range(1, 10_000)]
    public int Partitions { get; set; } = 8;

    /// <summary>Replicas per partition for created topics; with acks=all this many copies exist before a 250.</summary>
    [Range(1, 16)]
    public short ReplicationFactor { get; set; } = 3;

    /// <summary>Producers wait this long for the broker's acknowledgement before the send counts as failed.</summary>
    public TimeSpan ProduceTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// A consumer that stops heartbeating for this long (a killed process) loses its partitions to the
    /// others in its group; that is how long a dead consumer's work waits before someone else does it.
    /// </summary>
    public TimeSpan SessionTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Largest record value, in octets. Zero: derived by each service from its own limits (the edge from
    /// Gateway:Smtp:MaxMessageBytes plus room for the envelope). Topics, producers and consumers are all
    /// configured for it.
    /// </summary>
    [Range(0, int.MaxValue)]
    public int MaxRecordBytes { get; set; }

    /// <summary>
    /// Extra librdkafka settings for every client (e.g. <c>security.protocol</c>, <c>sasl.mechanism</c>),
    /// applied last. Secrets belong in environment variables or files, never in appsettings.json.
    /// </summary>
    public Dictionary<string, string> Client { get; set; } = new(StringComparer.Ordinal);
}
