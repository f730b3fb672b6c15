using System.Collections.Concurrent;
using System.Diagnostics;
using Gateway.Contracts;
using Gateway.MtaEdge.Delivery.Dsn;
using Gateway.MtaEdge.Queue;
using Gateway.MtaEdge.Smtp.Addressing;
using Gateway.V1;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gateway.MtaEdge.Delivery;

/// <summary>
/// Takes due messages from the <see cref="DeliverySchedule"/> and delivers their pending recipients
/// to the configured target, up to <see cref="DeliveryOptions.Concurrency"/> messages at a time.
/// </summary>
/// <remarks>
/// Delivery is at-least-once. The target gets the message before the envelope records the outcome;
/// a crash in between leaves the recipients pending, and the next run delivers them again. The
/// other order (record, then deliver) could lose mail, which an acknowledged message must never be.
/// On stop, attempts in progress finish and save their outcome; everything else stays queued.
/// </remarks>
public sealed class DeliveryWorker : BackgroundService
{
    /// <summary>Longest sleep between looks at the timetable, whatever it says.</summary>
    private static readonly TimeSpan MaxIdle = TimeSpan.FromMinutes(1);

    private readonly FileMessageSpool _spool;
    private readonly DeliverySchedule _schedule;
    private readonly IDeliveryTarget _target;
    private readonly DeliveryStatusNotifier _notifier;
    private readonly IRetroRemediation? _remediation;
    private readonly DeliveryOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<DeliveryWorker> _logger;
    private readonly ConcurrentDictionary<string, Task> _inFlight = new(StringComparer.Ordinal);
    private readonly DeliveryClaims _claims;

    public DeliveryWorker(
        FileMessageSpool spool,
        DeliverySchedule schedule,
        IDeliveryTarget target,
        DeliveryStatusNotifier notifier,
        IOptions<DeliveryOptions> options,
        TimeProvider time,
        ILogger<DeliveryWorker> logger,
        IRetroRemediation? remediation = null,
        DeliveryClaims? claims = null)
    {
        _claims = claims ?? new DeliveryClaims();
        _spool = spool;
        _schedule = schedule;
        _target = target;
        _notifier = notifier;
        _remediation = remediation;
        _options = options.Value;
        _time = time;
        _logger = logger;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await _spool.EnsureRecoveredAsync(stoppingToken);
        DeliveryLog.Started(_logger, _target.Description, _options.Concurrency);
        if (_remediation is null)
        {
            DeliveryLog.NoRemediation(_logger);
        }

        using var slots = new SemaphoreSlim(_options.Concurrency, _options.Concurrency);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await slots.WaitAsync(stoppingToken);

                // Take the signal before looking, so a message scheduled meanwhile wakes us.
                var changed = _schedule.Changed;
                if (_schedule.TryTakeDue(_time.GetUtcNow(), out var queueId))
                {
                    Start(queueId, slots);
                    continue;
                }

                slots.Release();
                var wait = _schedule.NextDueAt is { } due ? due - _time.GetUtcNow() : MaxIdle;
                wait = wait < TimeSpan.Zero ? TimeSpan.Zero : wait > MaxIdle ? MaxIdle : wait;
                if (wait > TimeSpan.Zero)
                {
                    await WaitAsync(changed, wait, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }

        DeliveryLog.Stopping(_logger, _inFlight.Count);
        await Task.WhenAll(_inFlight.Values);
    }

    private void Start(string queueId, SemaphoreSlim slots)
    {
        if (!_claims.TryClaim(queueId, "delivery"))
        {
            // An administrator is retrying or deleting it this instant: look again shortly.
            slots.Release();
            Reschedule(queueId, TimeSpan.FromSeconds(1));
            return;
        }

        // Registered before it runs, so a stop always sees (and waits for) it.
        var finished = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _inFlight[queueId] = finished.Task;

        // In-flight attempts get no stopping token: they finish (bounded by the target's timeouts)
        // and save their outcome, rather than being cut off between delivery and bookkeeping.
        _ = Task.Run(async () =>
        {
            try
            {
                await ProcessAsync(queueId, CancellationToken.None);
            }
            catch (Exception exception)
            {
                DeliveryLog.AttemptCrashed(_logger, queueId, exception);
                Reschedule(queueId);
            }
            finally
            {
                _inFlight.TryRemove(queueId, out _);
                _claims.Release(queueId);
                slots.Release();
                finished.SetResult();
            }
        });
    }

    /// <summary>One delivery attempt of one message: deliver, record, report, save or remove.</summary>
    internal async Task ProcessAsync(string queueId, CancellationToken cancellationToken)
    {
        if (_spool.Find(queueId) is not { } message)
        {
            return;
        }

        var pending = message.PendingRecipients.ToList();
        if (pending.Count == 0)
        {
            _spool.Remove(queueId);
            return;
        }

        byte[] content;
        try
        {
            content = await _spool.ReadContentAsync(queueId, cancellationToken);
        }
        catch (FileNotFoundException)
        {
            DeliveryLog.ContentMissing(_logger, queueId);
            _spool.SetAside(queueId, "the content file disappeared while the message was queued");
            return;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            DeliveryLog.ContentUnreadable(_logger, queueId, exception);
            message.Attempts++;
            await SaveAndRescheduleAsync(message, cancellationToken);
            return;
        }

        // Step 1: deliver.
        var started = Stopwatch.GetTimestamp();
        var results = await DeliverAsync(message, content, pending, cancellationToken);
        var elapsed = Stopwatch.GetElapsedTime(started);
        message.Attempts++;
        var now = _time.GetUtcNow();
        var expired = now - message.ReceivedAt >= _options.MaxQueueLifetime;

        // Step 2: apply the outcome per recipient. Nothing is saved yet (see the class remarks).
        var delivered = new List<RecipientDeliveryResult>();
        var failed = new List<QueuedRecipient>();
        var deferred = 0;
        foreach (var result in results)
        {
            var recipient = result.Recipient;
            recipient.LastResult = result.Reply;
            switch (result.Outcome)
            {
                case DeliveryOutcome.Delivered:
                    recipient.Status = RecipientStatus.Delivered;
                    delivered.Add(result);
                    break;
                case DeliveryOutcome.PermanentFailure:
                    recipient.Status = RecipientStatus.Failed;
                    failed.Add(recipient);
                    break;
                case DeliveryOutcome.TemporaryFailure when expired:
                    recipient.Status = RecipientStatus.Failed;
                    recipient.LastResult = $"{result.Reply} (gave up: still failing after "
                        + $"{_options.MaxQueueLifetime.TotalHours:0.#} h in the queue)";
                    failed.Add(recipient);
                    break;
                default:
                    deferred++;
                    DeliveryLog.RecipientDeferred(_logger, queueId, recipient.Address, result.Reply);
                    break;
            }
        }

        foreach (var recipient in failed)
        {
            DeliveryLog.RecipientFailed(_logger, queueId, recipient.Address, recipient.LastResult ?? "");
        }

        RecordMetrics(delivered.Count, deferred, failed.Count, elapsed);
        foreach (var _ in delivered)
        {
            DeliveryMetrics.Latency.Observe(Math.Max(0, (now - message.ReceivedAt).TotalSeconds));
        }

        var targets = results.Select(r => r.Target).Where(t => t.Length > 0).Distinct().ToList();
        DeliveryLog.Attempt(
            _logger, message.Attempts, queueId, message.ClientAddress,
            targets.Count == 0 ? _target.Description : string.Join(", ", targets),
            Summary(delivered.Count, deferred, failed.Count), results.Count, delivered.Count, deferred, failed.Count,
            (long)elapsed.TotalMilliseconds);

        // Step 3: tell retro-remediation where each copy landed. Its failure is logged and never
        // undoes or repeats a delivery.
        foreach (var result in delivered)
        {
            await RecordAsync(message, result, now, cancellationToken);
        }

        // Step 4: report final failures (and successes asked for with NOTIFY=SUCCESS) to the sender,
        // before the outcome is saved: a crash in between may report twice, never zero times.
        var reports = failed.Select(r => new DsnEntry(r, DsnEntry.Failed))
            .Concat(delivered
                .Where(r => r.DsnAction.Length > 0 && DsnNotify.Wants(r.Recipient.DsnNotify, "SUCCESS"))
                .Select(r => new DsnEntry(r.Recipient, r.DsnAction)))
            .ToList();
        if (reports.Count > 0)
        {
            try
            {
                await _notifier.NotifyAsync(message, content, reports, cancellationToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                DeliveryLog.ReportFailed(_logger, queueId, exception);
            }
        }

        // Step 5: save the outcome, or remove the message when nothing is left to do.
        if (!message.PendingRecipients.Any())
        {
            try
            {
                _spool.Remove(queueId);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                // Delivered but still on disk: the next start finds it finished (or delivers again).
                DeliveryLog.EnvelopeUpdateFailed(_logger, queueId, exception);
            }

            return;
        }

        await SaveAndRescheduleAsync(message, cancellationToken);
    }

    private async Task<IReadOnlyList<RecipientDeliveryResult>> DeliverAsync(
        QueuedMessage message, byte[] content, List<QueuedRecipient> pending, CancellationToken cancellationToken)
    {
        try
        {
            var results = await _target.DeliverAsync(message, content, pending, cancellationToken);
            if (results.Count == pending.Count && results.Select(r => r.Recipient).SequenceEqual(pending))
            {
                return results;
            }

            throw new InvalidOperationException($"{_target.Description} returned results for other recipients");
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // Targets report failures as results; an exception is a bug, and the mail must still wait.
            DeliveryLog.AttemptCrashed(_logger, message.QueueId, exception);
            return pending.Select(r => RecipientDeliveryResult.Temporary(
                r, "451 4.3.0 Internal error during delivery")).ToList();
        }
    }

    private async Task RecordAsync(
        QueuedMessage message,
        RecipientDeliveryResult result,
        DateTimeOffset deliveredAt,
        CancellationToken cancellationToken)
    {
        // Copies outside our mailboxes (reports to remote senders) are nobody's to remediate.
        if (_remediation is null || result.Remote)
        {
            return;
        }

        var record = DeliveryRecords.For(
            message, result.Recipient.Address, result.Store ?? _target.StoreKind, result.Location, deliveredAt);
        try
        {
            await _remediation.RecordDeliveryAsync(record, cancellationToken);
        }
        catch (Exception exception)
            when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            DeliveryLog.RecordFailed(_logger, message.QueueId, result.Recipient.Address, exception);
        }
    }

    private async Task SaveAndRescheduleAsync(QueuedMessage message, CancellationToken cancellationToken)
    {
        var delay = RetryBackoff.Delay(
            message.Attempts, _options.RetryInitialDelay, _options.RetryMaxDelay, Random.Shared.NextDouble());
        message.NextAttemptAt = _time.GetUtcNow() + delay;
        try
        {
            await _spool.SaveAsync(message, cancellationToken);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // The memory copy is ahead of the disk: this run goes on with it; after a restart the
            // older envelope is used, which can only mean more attempts, not fewer.
            DeliveryLog.EnvelopeUpdateFailed(_logger, message.QueueId, exception);
        }

        _schedule.Schedule(message.QueueId, message.NextAttemptAt);
        DeliveryLog.Rescheduled(_logger, message.QueueId, message.NextAttemptAt);
    }

    private void Reschedule(string queueId, TimeSpan? delay = null)
    {
        if (_spool.Find(queueId) is { } message)
        {
            message.NextAttemptAt = _time.GetUtcNow() + (delay ?? _options.RetryInitialDelay);
            _schedule.Schedule(queueId, message.NextAttemptAt);
        }
    }

    private async Task WaitAsync(Task changed, TimeSpan wait, CancellationToken stoppingToken)
    {
        try
        {
            await changed.WaitAsync(wait, _time, stoppingToken);
        }
        catch (TimeoutException)
        {
            // Something is due now.
        }
    }

    private static void RecordMetrics(int delivered, int deferred, int failed, TimeSpan elapsed)
    {
        DeliveryMetrics.Attempts.WithLabels("delivered").Inc(delivered);
        DeliveryMetrics.Attempts.WithLabels("deferred").Inc(deferred);
        DeliveryMetrics.Attempts.WithLabels("failed").Inc(failed);
        DeliveryMetrics.Duration.Observe(elapsed.TotalSeconds);
    }

    private static string Summary(int delivered, int deferred, int failed) =>
        (delivered, deferred, failed) switch
        {
            (_, 0, 0) => "delivered",
            (0, _, 0) => "deferred",
            (0, 0, _) => "failed",
            _ => "partial",
        };
}
