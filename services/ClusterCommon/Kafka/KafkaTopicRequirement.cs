namespace Gateway.ClusterCommon.Kafka;

/// <summary>A topic a service writes or reads, and the largest record value it must hold.</summary>
public sealed record KafkaTopicRequirement(string Topic, int MaxValueBytes);
