namespace Gateway.ClusterCommon.Kafka;

/// <summary>A topic a service writes or reads, and the largest record value it must hold.</summary>
public sealed record KafkaTopicRequirement(string Topic, int MaxValueBytes);

/// <summary>Topics declared together by one component (resolved when the provisioner first needs them).</summary>
public sealed record KafkaTopicRequirementSet(IReadOnlyList<KafkaTopicRequirement> Topics);
