using System.Diagnostics;
using Confluent.Kafka;
using Gateway.ClusterCommon.Telemetry;
using Google.Protobuf;

namespace Gateway.ClusterCommon.Kafka;

/// <summary>
/// Writes protobuf records to Kafka and returns only once the broker has them durably: one idempotent
/// producer with acks=all per service, shared by every topic it writes.
/// </summary>
public sealed class KafkaEventProducer : IDisposable
{
    private readonly IProducer<string, byte[]> _producer;
    private readonly int _maxValueBytes;

    public KafkaEventProducer(KafkaClientFactory factory, KafkaRecordLimit limit, string clientId)
    {
        _maxValueBytes = limit.ValueBytes;
        _producer = factory.CreateProducer(clientId, limit.ValueBytes);
    }

    /// <summary>The librdkafka handle, for admin requests that should share this producer's connections.</summary>
    public Handle Handle => _producer.Handle;

    /// <summary>
    /// Writes one record and waits for the acknowledgement. When this returns, every in-sync replica has
    /// the record (acks=all); when it throws, the record may or may not have been written, so callers
    /// treat a failure as "not stored" and rely on idempotent consumers for the rare duplicate.
    /// </summary>
    /// <returns>Where the record was written (the queue index reads it back from there).</returns>
    /// <exception cref="ArgumentException">The value is larger than this service's record limit.</exception>
    /// <exception cref="KafkaException">The broker did not acknowledge the record in time.</exception>
    public async Task<TopicPartitionOffset> ProduceAsync(
        string topic, string key, IMessage value, CancellationToken cancellationToken, Headers? headers = null)
    {
        var bytes = value.ToByteArray();
        if (bytes.Length > _maxValueBytes)
        {
            throw new ArgumentException(
                $"A {value.Descriptor.FullName} of {bytes.Length} octets is larger than the record limit of "
                    + $"{_maxValueBytes}.",
                nameof(value));
        }

        using var activity = ClusterTelemetry.Source.StartActivity($"send {topic}", ActivityKind.Producer);
        activity?.SetTag("messaging.system", "kafka");
        activity?.SetTag("messaging.operation.type", "send");
        activity?.SetTag("messaging.destination.name", topic);
        activity?.SetTag("messaging.kafka.message.key", key);
        headers ??= new Headers();
        headers.Remove(KafkaHeaders.Type);
        headers.Add(KafkaHeaders.Type, System.Text.Encoding.ASCII.GetBytes(value.Descriptor.FullName));
        KafkaHeaders.InjectTraceContext(activity ?? Activity.Current, headers);

        var result = await _producer.ProduceAsync(
            topic, new Message<string, byte[]> { Key = key, Value = bytes, Headers = headers }, cancellationToken);

        // With acks=all, Persisted means the in-sync replicas wrote it; anything else is not good enough to
        // acknowledge mail on.
        if (result.Status != PersistenceStatus.Persisted)
        {
            throw new KafkaException(new Error(ErrorCode.Local_MsgTimedOut,
                $"{topic}: the broker did not confirm the record ({result.Status})"));
        }

        activity?.SetTag("messaging.destination.partition.id", result.Partition.Value.ToString(
            System.Globalization.CultureInfo.InvariantCulture));
        activity?.SetTag("messaging.kafka.offset", result.Offset.Value);
        return result.TopicPartitionOffset;
    }

    public void Dispose()
    {
        // Whatever is still in flight gets a few seconds; callers awaiting it have been told of failure otherwise.
        _producer.Flush(TimeSpan.FromSeconds(5));
        _producer.Dispose();
    }
}
