using Confluent.Kafka;

namespace Gateway.MtaEdge.Queue.Kafka;

/// <summary>One message as the queue index holds it (see <see cref="KafkaQueueIndex"/>).</summary>
public sealed record QueueIndexEntry
{
    public required string QueueId { get; init; }

    public string MailFrom { get; init; } = "";

    public DateTimeOffset ReceivedAt { get; init; }

    public long Size { get; init; }

    public string ClientAddress { get; init; } = "";

    public string ClientHelo { get; init; } = "";

    public string MessageId { get; init; } = "";

    public bool SmtpUtf8 { get; init; }

    public int Attempts { get; init; }

    public DateTimeOffset NextAttemptAt { get; init; }

    public string LastError { get; init; } = "";

    /// <summary>The newest queue or retry record of the message (the one a retry reads back); null if
    /// unknown.</summary>
    public TopicPartitionOffset? Location { get; init; }

    /// <summary>Raised by each "retry now": records of older generations are superseded.</summary>
    public long Generation { get; init; }

    /// <summary>A delivery attempt claimed the message until then (it ends sooner when the attempt does).</summary>
    public DateTimeOffset BusyUntil { get; init; }

    public IReadOnlyList<QueueIndexRecipient> Recipients { get; init; } = [];
}
