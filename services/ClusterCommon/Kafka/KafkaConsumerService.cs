using System.Collections.Concurrent;
using System.Diagnostics;
using Confluent.Kafka;
using Gateway.ClusterCommon.Telemetry;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gateway.ClusterCommon.Kafka;

/// <summary>
/// An at-least-once Kafka consumer: records are handled up to <see cref="Concurrency"/> at a time, and a
/// record's offset is stored for commit only after <see cref="HandleAsync"/> returned, which a handler does
/// only once its work is durable. A crash at any point therefore means some records are read again, never
/// that one is skipped; handlers are written to be idempotent for exactly that reason.
/// </summary>
/// <remarks>
/// The blocking consume loop runs on its own long-running thread and owns the consumer: offsets are stored,
/// partitions paused and resumed only there. While every slot is busy the loop waits instead of fetching.
/// Records whose <see cref="NotBefore"/> lies ahead (delay topics)
/// pause their partition and are read again when due. A failed handler is retried in place with back-off;
/// the partition's commit waits for it while the other records go on.
/// </remarks>
public abstract class KafkaConsumerService : BackgroundService
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan RetryMaxDelay = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long the loop may sit out with every slot busy before it pauses all partitions and polls again, so
    /// the group (max.poll.interval.ms) never takes it for stuck. Pausing drops what was fetched, so it is kept
    /// for long stalls only.
    /// </summary>
    private static readonly TimeSpan StallBeforePause = TimeSpan.FromSeconds(30);

    private readonly KafkaClientFactory _factory;
    private readonly ConcurrentQueue<TopicPartitionOffset> _finished = new();
    private readonly PartitionOffsetTracker _tracker = new();
    private readonly HashSet<TopicPartition> _assigned = new();
    private readonly HashSet<TopicPartition> _paused = new();
    private readonly Dictionary<TopicPartition, DateTimeOffset> _delayed = new();
    private readonly Dictionary<TopicPartition, long> _rewound = new();
    private readonly Dictionary<TopicPartition, CancellationTokenSource> _abandon = new();
    private readonly SemaphoreSlim _wake = new(0);
    private long _fullSince;
    private bool _stalled;

    protected KafkaConsumerService(KafkaClientFactory factory, ILogger logger, TimeProvider time)
    {
        _factory = factory;
        Logger = logger;
        Time = time;
    }

    protected ILogger Logger { get; }

    protected TimeProvider Time { get; }

    /// <summary>The consumer group; every instance of the service joins it and they share the partitions.</summary>
    protected abstract string GroupId { get; }

    protected abstract IReadOnlyCollection<string> Topics { get; }

    /// <summary>Records handled at the same time by this instance.</summary>
    protected virtual int Concurrency => 4;

    /// <summary>Largest record value this consumer must be able to fetch.</summary>
    protected virtual int MaxValueBytes => KafkaRecordLimit.Events.ValueBytes;

    /// <summary>On stop or on losing partitions, how long records in progress get to finish.</summary>
    protected virtual TimeSpan FinishGrace => TimeSpan.FromSeconds(20);

    /// <summary>When the record must not be handled before a later time (a delay topic), that time.</summary>
    protected virtual DateTimeOffset? NotBefore(ConsumeResult<string, byte[]> record) => null;

    /// <summary>
    /// Does the record's work and returns once it is durable. Throwing means "not done": the same record is
    /// handed in again after a back-off. <paramref name="abandon"/> fires when this instance gives the
    /// partition up or stops; the record will then be handled again elsewhere.
    /// </summary>
    protected abstract Task HandleAsync(ConsumeResult<string, byte[]> record, CancellationToken abandon);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.Factory.StartNew(
            () => Run(stoppingToken), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private void Run(CancellationToken stoppingToken)
    {
        var clientId = $"{GroupId}-{Environment.MachineName}-{Environment.ProcessId}";
        var config = _factory.CreateConsumerConfig(GroupId, clientId, MaxValueBytes);
        using var consumer = _factory.CreateConsumerBuilder(config)
            .SetPartitionsAssignedHandler((_, partitions) => OnAssigned(partitions))
            .SetPartitionsRevokedHandler((c, partitions) => OnRevoked(c, partitions.Select(p => p.TopicPartition)))
            .SetPartitionsLostHandler((_, partitions) => OnLost(partitions.Select(p => p.TopicPartition)))
            .Build();
        consumer.Subscribe(Topics);
        KafkaLog.ConsumerStarted(Logger, GroupId, string.Join(", ", Topics), Concurrency);

        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                StoreFinishedOffsets(consumer);
                if (!HasFreeSlot())
                {
                    // Every slot is busy: wait for one to free up rather than fetch what cannot be started.
                    _wake.Wait(PollInterval * 5, CancellationToken.None);
                    if (!_stalled)
                    {
                        continue;
                    }
                }

                ApplyPauses(consumer);

                ConsumeResult<string, byte[]>? record;
                try
                {
                    record = consumer.Consume(PollInterval);
                }
                catch (ConsumeException ex) when (ex.Error.Code == ErrorCode.UnknownTopicOrPart)
                {
                    // A topic nobody has written to yet (brokers that create topics on first use): it appears soon.
                    KafkaLog.TopicNotYetThere(Logger, GroupId, ex.Error.Reason);
                    continue;
                }
                catch (ConsumeException ex) when (!ex.Error.IsFatal)
                {
                    KafkaLog.ConsumeError(Logger, GroupId, ex.Error.Code.ToString(), ex.Error.Reason);
                    continue;
                }

                if (record is null || record.IsPartitionEOF)
                {
                    continue;
                }

                if (_paused.Contains(record.TopicPartition))
                {
                    // Fetched before the pause took hold: read it again once the partition resumes.
                    Rewind(consumer, record.TopicPartitionOffset);
                    continue;
                }

                if (NotBefore(record) is { } due && due > Time.GetUtcNow())
                {
                    _delayed[record.TopicPartition] = due;
                    ApplyPauses(consumer);
                    Rewind(consumer, record.TopicPartitionOffset);
                    continue;
                }

                _rewound.Remove(record.TopicPartition);
                Dispatch(record);
            }
        }
        catch (KafkaException ex) when (ex.Error.IsFatal)
        {
            KafkaLog.ConsumerFatal(Logger, GroupId, ex.Error.Reason, ex);
            throw;
        }
        finally
        {
            Stop(consumer);
        }
    }

    private void Dispatch(ConsumeResult<string, byte[]> record)
    {
        var position = record.TopicPartitionOffset;
        _tracker.Start(position);
        KafkaMetrics.InFlight.WithLabels(GroupId).Set(_tracker.InFlight);
        if (!_abandon.TryGetValue(record.TopicPartition, out var abandon))
        {
            abandon = new CancellationTokenSource();
            _abandon[record.TopicPartition] = abandon;
        }

        var token = abandon.Token;
        _ = Task.Run(async () =>
        {
            var parent = KafkaHeaders.ExtractTraceContext(record.Message.Headers);
            using var activity = ClusterTelemetry.Source.StartActivity(
                $"process {record.Topic}", ActivityKind.Consumer, parent);
            activity?.SetTag("messaging.system", "kafka");
            activity?.SetTag("messaging.operation.type", "process");
            activity?.SetTag("messaging.destination.name", record.Topic);
            activity?.SetTag("messaging.consumer.group.name", GroupId);
            activity?.SetTag("messaging.kafka.offset", record.Offset.Value);
            var started = Stopwatch.GetTimestamp();
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await HandleAsync(record, token);
                    KafkaMetrics.Records.WithLabels(GroupId, record.Topic, "done").Inc();
                    KafkaMetrics.HandleSeconds.WithLabels(GroupId, record.Topic)
                        .Observe(Stopwatch.GetElapsedTime(started).TotalSeconds);

                    // Only now may the offset move past this record: its work is durable.
                    _finished.Enqueue(position);
                    _wake.Release();
                    return;
                }
                catch (Exception ex) when (!token.IsCancellationRequested)
                {
                    KafkaMetrics.Records.WithLabels(GroupId, record.Topic, "failed").Inc();
                    var delay = TimeSpan.FromMilliseconds(
                        Math.Min(RetryMaxDelay.TotalMilliseconds, 500 * Math.Pow(2, Math.Min(attempt - 1, 10))));
                    KafkaLog.RecordFailed(Logger, GroupId, record.Topic, record.Partition.Value, record.Offset.Value,
                        attempt, (long)delay.TotalMilliseconds, ex);
                    activity?.SetStatus(ActivityStatusCode.Error, ex.GetType().Name);
                    try
                    {
                        await Task.Delay(delay, Time, token);
                    }
                    catch (OperationCanceledException)
                    {
                        return;
                    }
                }
                catch (Exception)
                {
                    // Abandoned (partition given up or stopping): not finished, so its offset is never
                    // stored here; whoever owns the partition next handles the record again.
                    return;
                }
            }
        }, CancellationToken.None);
    }

    /// <summary>Stores the offsets that finished records allow; the auto-commit timer commits them.</summary>
    private void StoreFinishedOffsets(IConsumer<string, byte[]> consumer)
    {
        var stored = false;
        while (_finished.TryDequeue(out var position))
        {
            if (!_assigned.Contains(position.TopicPartition) || _tracker.Finish(position) is not { } next)
            {
                continue;
            }

            try
            {
                // At-least-once: the stored offset is the next record to read, and every record below it has
                // finished its durable work. A crash before the commit only means they are read again.
                consumer.StoreOffset(new TopicPartitionOffset(position.TopicPartition, next));
                stored = true;
            }
            catch (KafkaException ex)
            {
                KafkaLog.OffsetStoreFailed(Logger, GroupId, position.Topic, position.Partition.Value, next.Value,
                    ex.Error.Reason);
            }
        }

        if (stored)
        {
            KafkaMetrics.InFlight.WithLabels(GroupId).Set(_tracker.InFlight);
        }
    }

    /// <summary>Pauses what must wait (delayed partitions; everything while all slots are busy), resumes the
    /// rest.</summary>
    private void ApplyPauses(IConsumer<string, byte[]> consumer)
    {
        var now = Time.GetUtcNow();
        foreach (var (partition, due) in _delayed.ToList())
        {
            if (due <= now || !_assigned.Contains(partition))
            {
                _delayed.Remove(partition);
            }
        }

        var wanted = _stalled ? new HashSet<TopicPartition>(_assigned) : new HashSet<TopicPartition>(_delayed.Keys);
        var pause = wanted.Where(p => !_paused.Contains(p)).ToList();
        var resume = _paused.Where(p => !wanted.Contains(p) && _assigned.Contains(p)).ToList();
        _paused.RemoveWhere(p => !_assigned.Contains(p));
        try
        {
            if (pause.Count > 0)
            {
                consumer.Pause(pause);
                _paused.UnionWith(pause);
            }

            if (resume.Count > 0)
            {
                consumer.Resume(resume);
                _paused.ExceptWith(resume);
            }
        }
        catch (KafkaException ex)
        {
            KafkaLog.ConsumeError(Logger, GroupId, ex.Error.Code.ToString(), ex.Error.Reason);
        }
    }

    /// <summary>
    /// True when another record may start. After <see cref="StallBeforePause"/> with none free, the loop goes
    /// on polling with every partition paused (so the group keeps us) until a slot frees up.
    /// </summary>
    private bool HasFreeSlot()
    {
        if (_tracker.InFlight < Concurrency)
        {
            _fullSince = 0;
            _stalled = false;
            return true;
        }

        var now = Stopwatch.GetTimestamp();
        if (_fullSince == 0)
        {
            _fullSince = now;
        }

        _stalled = Stopwatch.GetElapsedTime(_fullSince, now) >= StallBeforePause;
        return false;
    }

    /// <summary>Moves the fetch position back to a record not handled yet, never past an earlier rewind.</summary>
    private void Rewind(IConsumer<string, byte[]> consumer, TopicPartitionOffset record)
    {
        if (_rewound.TryGetValue(record.TopicPartition, out var earlier) && earlier <= record.Offset.Value)
        {
            return;
        }

        consumer.Seek(record);
        _rewound[record.TopicPartition] = record.Offset.Value;
    }

    private void OnAssigned(List<TopicPartition> partitions)
    {
        _assigned.UnionWith(partitions);
        KafkaLog.PartitionsAssigned(Logger, GroupId, Describe(partitions));
    }

    private void OnRevoked(IConsumer<string, byte[]> consumer, IEnumerable<TopicPartition> revoked)
    {
        var partitions = revoked.ToList();
        KafkaLog.PartitionsRevoked(Logger, GroupId, Describe(partitions), partitions.Sum(_tracker.InFlightOn));

        // Records in progress get a moment to finish, so their offsets are committed by us; those that do not
        // finish in time are handled again by the next owner (harmless: handlers are idempotent).
        WaitForInFlight(consumer, partitions, FinishGrace);
        try
        {
            consumer.Commit();
        }
        catch (KafkaException ex) when (ex.Error.Code == ErrorCode.Local_NoOffset)
        {
            // Nothing new to commit.
        }
        catch (KafkaException ex)
        {
            KafkaLog.CommitFailed(Logger, GroupId, ex.Error.Reason);
        }

        Release(partitions);
    }

    private void OnLost(IEnumerable<TopicPartition> lost)
    {
        // The group moved on without us: committing now could overwrite the new owner's progress.
        var partitions = lost.ToList();
        KafkaLog.PartitionsLost(Logger, GroupId, Describe(partitions));
        Release(partitions);
    }

    private void Release(List<TopicPartition> partitions)
    {
        foreach (var partition in partitions)
        {
            if (_abandon.Remove(partition, out var abandon))
            {
                abandon.Cancel();
                abandon.Dispose();
            }

            _tracker.Forget(partition);
            _assigned.Remove(partition);
            _paused.Remove(partition);
            _delayed.Remove(partition);
            _rewound.Remove(partition);
        }
    }

    private void WaitForInFlight(IConsumer<string, byte[]> consumer, IReadOnlyCollection<TopicPartition> partitions,
        TimeSpan grace)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(grace.TotalSeconds * Stopwatch.Frequency);
        while (partitions.Sum(_tracker.InFlightOn) > 0 && Stopwatch.GetTimestamp() < deadline)
        {
            Thread.Sleep(20);
            StoreFinishedOffsets(consumer);
        }

        StoreFinishedOffsets(consumer);
    }

    private void Stop(IConsumer<string, byte[]> consumer)
    {
        KafkaLog.ConsumerStopping(Logger, GroupId, _tracker.InFlight);
        try
        {
            WaitForInFlight(consumer, _assigned.ToList(), FinishGrace);

            // Close commits the stored offsets and leaves the group, so the partitions move on at once
            // instead of after the session timeout.
            consumer.Close();
        }
        catch (KafkaException ex)
        {
            KafkaLog.CommitFailed(Logger, GroupId, ex.Error.Reason);
        }
        finally
        {
            Release(_assigned.ToList());
        }
    }

    public override void Dispose()
    {
        base.Dispose();
        _wake.Dispose();
        GC.SuppressFinalize(this);
    }

    private static string Describe(IEnumerable<TopicPartition> partitions) =>
        string.Join(", ", partitions.Select(p => $"{p.Topic}[{p.Partition.Value}]"));
}
