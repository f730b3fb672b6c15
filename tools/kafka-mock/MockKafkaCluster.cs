using Confluent.Kafka;

namespace Gateway.Tools.KafkaMock;

/// <summary>
/// An in-process librdkafka mock cluster (<c>test.mock.num.brokers</c>) that speaks the Kafka protocol on
/// 127.0.0.1, reachable from other processes at <see cref="BootstrapServers"/>. It lives as long as this
/// object. Limits of the mock: each partition keeps only its newest ~5 MiB (older records are dropped, as by
/// retention), topics are created automatically with 4 partitions, and admin requests that need a controller
/// (CreateTopics, DescribeConfigs) are not answered.
/// </summary>
public sealed class MockKafkaCluster : IDisposable
{
    private const string Marker = "replaced with ";

    private readonly IProducer<Null, Null> _host;

    private MockKafkaCluster(IProducer<Null, Null> host, string bootstrapServers)
    {
        _host = host;
        BootstrapServers = bootstrapServers;
    }

    /// <summary>Comma-separated host:port list of the mock brokers.</summary>
    public string BootstrapServers { get; }

    /// <exception cref="TimeoutException">The mock cluster did not report its address in time.</exception>
    public static MockKafkaCluster Start(int brokers = 1, TimeSpan? timeout = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(brokers, 1);
        var address = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var config = new ProducerConfig { BootstrapServers = "127.0.0.1:1" };
        config.Set("test.mock.num.brokers", brokers.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var host = new ProducerBuilder<Null, Null>(config)
            .SetLogHandler((_, message) =>
            {
                // librdkafka announces the mock's listeners once: "... replaced with 127.0.0.1:PORT[,...]".
                var at = message.Message.IndexOf(Marker, StringComparison.Ordinal);
                if (at >= 0)
                {
                    address.TrySetResult(message.Message[(at + Marker.Length)..].Trim());
                }
            })
            .Build();
        if (!address.Task.Wait(timeout ?? TimeSpan.FromSeconds(10)))
        {
            host.Dispose();
            throw new TimeoutException("The librdkafka mock cluster did not report its bootstrap address.");
        }

        return new MockKafkaCluster(host, address.Task.Result);
    }

    public void Dispose() => _host.Dispose();
}
