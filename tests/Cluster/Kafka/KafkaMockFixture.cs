using Gateway.ClusterCommon.Kafka;
using Gateway.Tools.KafkaMock;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Gateway.Cluster.Tests.Kafka;

/// <summary>One librdkafka mock cluster for a test class; each test uses its own topic prefix.</summary>
public sealed class KafkaMockFixture : IDisposable
{
    public MockKafkaCluster Cluster { get; } = MockKafkaCluster.Start();

    public KafkaOptions Options(string prefix) => new()
    {
        BootstrapServers = Cluster.BootstrapServers,
        TopicPrefix = prefix,
        CreateTopics = false,
        SessionTimeout = TimeSpan.FromSeconds(6),
        ProduceTimeout = TimeSpan.FromSeconds(10),
    };

    public KafkaClientFactory Factory(string prefix) =>
        new(Microsoft.Extensions.Options.Options.Create(Options(prefix)), NullLoggerFactory.Instance);

    public static string NewPrefix() => "t" + Guid.NewGuid().ToString("N")[..8] + ".";

    public void Dispose() => Cluster.Dispose();
}
