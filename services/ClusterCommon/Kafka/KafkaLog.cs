using Microsoft.Extensions.Logging;

namespace Gateway.ClusterCommon.Kafka;

/// <summary>Log events of the Kafka plumbing. Event names are a contract for dashboards: rename with care.</summary>
internal static partial class KafkaLog
{
    [LoggerMessage(EventId = 7100, EventName = "KafkaClientLog", Message = "librdkafka {Client} [{Facility}]: {Text}")]
    public static partial void ClientLog(ILogger logger, LogLevel level, string client, string facility, string text);

    [LoggerMessage(EventId = 7101, EventName = "KafkaClientError", Level = LogLevel.Warning,
        Message = "Kafka client {Client} error {Code} (fatal: {Fatal}): {Reason}")]
    public static partial void ClientError(ILogger logger, string client, string code, bool fatal, string reason);

    [LoggerMessage(EventId = 7110, EventName = "KafkaConsumerStarted", Level = LogLevel.Information,
        Message = "Consumer {Group} reading {Topics} with {Concurrency} records at a time")]
    public static partial void ConsumerStarted(ILogger logger, string group, string topics, int concurrency);

    [LoggerMessage(EventId = 7111, EventName = "KafkaPartitionsAssigned", Level = LogLevel.Information,
        Message = "Consumer {Group} assigned {Partitions}")]
    public static partial void PartitionsAssigned(ILogger logger, string group, string partitions);

    [LoggerMessage(EventId = 7112, EventName = "KafkaPartitionsRevoked", Level = LogLevel.Information,
        Message = "Consumer {Group} gives up {Partitions}; {InFlight} records still in progress")]
    public static partial void PartitionsRevoked(ILogger logger, string group, string partitions, int inFlight);

    [LoggerMessage(EventId = 7113, EventName = "KafkaPartitionsLost", Level = LogLevel.Warning,
        Message = "Consumer {Group} lost {Partitions} without a clean hand-over; their uncommitted records will be "
            + "read again")]
    public static partial void PartitionsLost(ILogger logger, string group, string partitions);

    [LoggerMessage(EventId = 7114, EventName = "KafkaRecordFailed", Level = LogLevel.Warning,
        Message = "Consumer {Group} could not handle {Topic} [{Partition}] @{Offset} (try {Try}); trying again in "
            + "{DelayMs} ms")]
    public static partial void RecordFailed(
        ILogger logger, string group, string topic, int partition, long offset, int @try, long delayMs,
            Exception exception);

    [LoggerMessage(EventId = 7115, EventName = "KafkaOffsetStoreFailed", Level = LogLevel.Debug,
        Message = "Consumer {Group} could not store offset {Offset} of {Topic} [{Partition}] (no longer assigned): "
            + "{Reason}")]
    public static partial void OffsetStoreFailed(ILogger logger, string group, string topic, int partition,
        long offset, string reason);

    [LoggerMessage(EventId = 7116, EventName = "KafkaConsumerStopping", Level = LogLevel.Information,
        Message = "Consumer {Group} stopping; waiting for {InFlight} records in progress")]
    public static partial void ConsumerStopping(ILogger logger, string group, int inFlight);

    [LoggerMessage(EventId = 7117, EventName = "KafkaConsumeError", Level = LogLevel.Warning,
        Message = "Consumer {Group} consume error {Code}: {Reason}")]
    public static partial void ConsumeError(ILogger logger, string group, string code, string reason);

    [LoggerMessage(EventId = 7118, EventName = "KafkaConsumerFatal", Level = LogLevel.Critical,
        Message = "Consumer {Group} hit a fatal error and stops: {Reason}")]
    public static partial void ConsumerFatal(ILogger logger, string group, string reason, Exception exception);

    [LoggerMessage(EventId = 7119, EventName = "KafkaCommitFailed", Level = LogLevel.Warning,
        Message = "Consumer {Group} could not commit offsets: {Reason}")]
    public static partial void CommitFailed(ILogger logger, string group, string reason);

    [LoggerMessage(EventId = 7120, EventName = "KafkaTopicNotYetThere", Level = LogLevel.Debug,
        Message = "Consumer {Group}: {Reason}")]
    public static partial void TopicNotYetThere(ILogger logger, string group, string reason);

    [LoggerMessage(EventId = 7130, EventName = "KafkaTopicCreated", Level = LogLevel.Information,
        Message = "Created topic {Topic} ({Partitions} partitions, replication {Replication}, max.message.bytes "
            + "{MaxBytes})")]
    public static partial void TopicCreated(ILogger logger, string topic, int partitions, short replication,
        int maxBytes);

    [LoggerMessage(EventId = 7131, EventName = "KafkaTopicCreateFailed", Level = LogLevel.Warning,
        Message = "Could not create topic {Topic}: {Reason}")]
    public static partial void TopicCreateFailed(ILogger logger, string topic, string reason);

    [LoggerMessage(EventId = 7132, EventName = "KafkaTopicTooSmall", Level = LogLevel.Error,
        Message = "Topic {Topic} accepts records up to {TopicMaxBytes} octets but this service may write "
            + "{NeededBytes}: raise its max.message.bytes")]
    public static partial void TopicTooSmall(ILogger logger, string topic, long topicMaxBytes, int neededBytes);

    [LoggerMessage(EventId = 7133, EventName = "KafkaTopicConfigUnknown", Level = LogLevel.Debug,
        Message = "Could not read the configuration of topic {Topic} ({Reason}); its record size limit is not checked")]
    public static partial void TopicConfigUnknown(ILogger logger, string topic, string reason);
}
