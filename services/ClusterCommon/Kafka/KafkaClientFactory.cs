using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gateway.ClusterCommon.Kafka;

/// <summary>
/// Builds the Kafka clients of a service with the settings cluster mode relies on, and routes librdkafka's
/// own log and error callbacks into <see cref="ILogger"/>.
/// </summary>
public sealed class KafkaClientFactory(IOptions<KafkaOptions> options, ILoggerFactory loggerFactory)
{
    /// <summary>Room for headers, key and batch framing on top of a record's value.</summary>
    public const int RecordOverheadBytes = 64 * 1024;

    private readonly ILogger _logger = loggerFactory.CreateLogger("Gateway.ClusterCommon.Kafka.Client");

    public KafkaOptions Options => options.Value;

    /// <summary>
    /// A producer whose acknowledgement means durable: idempotence on (no duplicates or reordering from
    /// its own retries) and acks=all (every in-sync replica has the record before the broker answers).
    /// </summary>
    public IProducer<string, byte[]> CreateProducer(string clientId, int maxValueBytes)
    {
        var o = options.Value;
        var config = new ProducerConfig
        {
            BootstrapServers = o.BootstrapServers,
            ClientId = clientId,
            EnableIdempotence = true,
            Acks = Acks.All,
            MaxInFlight = 5,
            MessageMaxBytes = maxValueBytes + RecordOverheadBytes,
            MessageTimeoutMs = (int)o.ProduceTimeout.TotalMilliseconds,
            LingerMs = 2,
        };
        Apply(config, o);
        return new ProducerBuilder<string, byte[]>(config)
            .SetLogHandler((_, m) => OnLog(clientId, m))
            .SetErrorHandler((_, e) => OnError(clientId, e))
            .Build();
    }

    /// <summary>
    /// A consumer config for at-least-once processing: offsets are stored by the application only after
    /// a record's work is durable (enable.auto.offset.store=false), and only stored offsets are committed.
    /// </summary>
    public ConsumerConfig CreateConsumerConfig(string groupId, string clientId, int maxValueBytes)
    {
        var o = options.Value;
        var fetchBytes = maxValueBytes + RecordOverheadBytes;
        var config = new ConsumerConfig
        {
            BootstrapServers = o.BootstrapServers,
            GroupId = groupId,
            ClientId = clientId,
            // A new group starts at the oldest record: a message queued before any consumer ran is still mail.
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = true,
            AutoCommitIntervalMs = 1000,
            EnableAutoOffsetStore = false,
            SessionTimeoutMs = (int)o.SessionTimeout.TotalMilliseconds,
            HeartbeatIntervalMs = Math.Max(100, (int)o.SessionTimeout.TotalMilliseconds / 3),
            MaxPartitionFetchBytes = fetchBytes,
            FetchMaxBytes = Math.Max(fetchBytes, 52_428_800),
            PartitionAssignmentStrategy = PartitionAssignmentStrategy.CooperativeSticky,
            AllowAutoCreateTopics = !o.CreateTopics,
        };
        config.Set("receive.message.max.bytes", ((long)config.FetchMaxBytes!.Value + 1_048_576).ToString(
            System.Globalization.CultureInfo.InvariantCulture));
        Apply(config, o);
        return config;
    }

    public ConsumerBuilder<string, byte[]> CreateConsumerBuilder(ConsumerConfig config) =>
        new ConsumerBuilder<string, byte[]>(config)
            .SetLogHandler((_, m) => OnLog(config.ClientId ?? config.GroupId, m))
            .SetErrorHandler((_, e) => OnError(config.ClientId ?? config.GroupId, e));

    public IAdminClient CreateAdminClient(string clientId)
    {
        var o = options.Value;
        var config = new AdminClientConfig { BootstrapServers = o.BootstrapServers, ClientId = clientId };
        Apply(config, o);
        return new AdminClientBuilder(config)
            .SetLogHandler((_, m) => OnLog(clientId, m))
            .SetErrorHandler((_, e) => OnError(clientId, e))
            .Build();
    }

    private static void Apply(ClientConfig config, KafkaOptions o)
    {
        foreach (var (key, value) in o.Client)
        {
            config.Set(key, value);
        }
    }

    private void OnLog(string client, LogMessage message)
    {
        // librdkafka speaks syslog levels; its notices are routine, so they go to Debug.
        var level = message.Level switch
        {
            SyslogLevel.Emergency or SyslogLevel.Alert or SyslogLevel.Critical => LogLevel.Critical,
            SyslogLevel.Error => LogLevel.Error,
            SyslogLevel.Warning => LogLevel.Warning,
            SyslogLevel.Notice or SyslogLevel.Info => LogLevel.Debug,
            _ => LogLevel.Trace,
        };
        KafkaLog.ClientLog(_logger, level, client, message.Facility, message.Message);
    }

    private void OnError(string client, Error error) =>
        KafkaLog.ClientError(_logger, client, error.Code.ToString(), error.IsFatal, error.Reason);
}
