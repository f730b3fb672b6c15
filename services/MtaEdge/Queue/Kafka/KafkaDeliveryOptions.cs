namespace Gateway.MtaEdge.Queue.Kafka;

/// <summary>
/// The parts of delivery that only cluster mode has, bound from <c>Gateway:Delivery:Kafka</c>. Retry timing
/// comes from the ordinary <c>Gateway:Delivery</c> settings: the delay topics are RetryInitialDelay doubled
/// until RetryMaxDelay.
/// </summary>
public sealed class KafkaDeliveryOptions
{
    public const string SectionName = "Gateway:Delivery:Kafka";

    /// <summary>The consumer group every edge's delivery joins; the queue's partitions are shared among them.</summary>
    public string ConsumerGroup { get; set; } = "gateway-delivery";

    /// <summary>
    /// Longest a recipient stays claimed by one delivery attempt. Zero: long enough for the slowest attempt
    /// the delivery timeouts allow (connect plus four commands).
    /// </summary>
    public TimeSpan ClaimTimeout { get; set; }

    /// <summary>How often each edge says it is alive; an edge silent for <see cref="OwnerTimeout"/> is taken for
    /// dead.</summary>
    public TimeSpan OwnerHeartbeat { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// After this long without a heartbeat, the recipients an edge had claimed are someone else's to finish.
    /// Also the time a killed edge's last delivery has to land in the store before it is looked for there.
    /// </summary>
    public TimeSpan OwnerTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long "delivered" and "failed" marks are kept, so a record read again cannot deliver twice.
    /// Zero: the queue lifetime plus one day (no record of a message is read after that).
    /// </summary>
    public TimeSpan LedgerRetention { get; set; }

    /// <summary>Delay topics at most (the doubling stops there and the last delay repeats).</summary>
    public int MaxDelayTopics { get; set; } = 12;
}
