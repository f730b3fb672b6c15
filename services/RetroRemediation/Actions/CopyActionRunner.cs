using System.Collections.Concurrent;
using Gateway.Common.Mail;
using Gateway.RetroRemediation.Audit;
using Gateway.RetroRemediation.Cache;
using Gateway.RetroRemediation.Configuration;
using Gateway.RetroRemediation.Metrics;
using Gateway.RetroRemediation.Policy;
using Gateway.RetroRemediation.Stores;
using Gateway.V1;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Gateway.RetroRemediation.Actions;

/// <summary>
/// Carries out pending actions, one copy each: under the copy's lease it reads the copy's current state,
/// decides with <see cref="CopyTransitions"/>, asks the store adapter (within the store's
/// <see cref="StoreGate"/>, one copy of a mailbox at a time), saves the new state, writes the audit and
/// the metrics, and then removes the action from the <see cref="PendingActionQueue"/>, or reschedules it
/// with back-off when the store failed. Nothing is removed from the pending list before its result is
/// saved: at-least-once, and the state machine turns a repeat into a no-op.
/// </summary>
public sealed class CopyActionRunner : IDisposable
{
    /// <summary>How long an action whose copy is leased by another worker waits before it is looked at again.</summary>
    private static readonly TimeSpan BusyDelay = TimeSpan.FromSeconds(2);

    private readonly DeliveredMailCache _cache;
    private readonly PendingActionQueue _queue;
    private readonly AuditLog _audit;
    private readonly Dictionary<MailboxStoreKind, IMailboxStoreAdapter> _adapters;
    private readonly Dictionary<MailboxStoreKind, StoreGate> _gates;
    private readonly IOptions<RetroRemediationOptions> _options;
    private readonly AddressPatternSet _exemptRecipients;
    private readonly TimeProvider _time;
    private readonly ILogger<CopyActionRunner> _logger;
    private readonly KeyedLocks _mailboxes = new();
    private readonly ConcurrentDictionary<string, byte> _inFlight = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();

    public CopyActionRunner(
        DeliveredMailCache cache,
        PendingActionQueue queue,
        AuditLog audit,
        IEnumerable<IMailboxStoreAdapter> adapters,
        IOptions<RetroRemediationOptions> options,
        TimeProvider time,
        ILogger<CopyActionRunner> logger)
    {
        _cache = cache;
        _queue = queue;
        _audit = audit;
        _adapters = adapters.ToDictionary(a => a.Kind);
        _options = options;
        _time = time;
        _logger = logger;
        var o = options.Value;
        _exemptRecipients = new AddressPatternSet(o.ExemptRecipients);
        _gates = new Dictionary<MailboxStoreKind, StoreGate>
        {
            [MailboxStoreKind.Maildir] = new(o.Maildir),
            [MailboxStoreKind.Imap] = new(o.Imap),
            [MailboxStoreKind.Jmap] = new(o.Jmap),
            [MailboxStoreKind.Webhook] = new(o.Webhook),
        };
    }

    /// <summary>
    /// Cancelled when the process stops; work started for an event runs on it, not on the caller's token.
    /// </summary>
    public CancellationToken Stopping => _stopping.Token;

    /// <summary>Actions being carried out by this process now.</summary>
    public int InFlight => _inFlight.Count;

    /// <summary>The lease must outlast one action; an action is cut off at <c>Retry:ActionTimeout</c>.</summary>
    private TimeSpan LeaseDuration => _options.Value.Retry.ActionTimeout + TimeSpan.FromSeconds(30);

    /// <summary>Claims an action for this process; false when it is being carried out here already.</summary>
    public bool TryBegin(string copyId) => _inFlight.TryAdd(copyId, 0);

    /// <summary>
    /// Carries out an action claimed with <see cref="TryBegin"/>, and releases the claim.
    /// <paramref name="hint"/> is the copy as a lookup just read it, to save a read; it is read again under the lease.
    /// </summary>
    public async Task<CopyOutcome> RunClaimedAsync(PendingAction action, CachedCopy? hint) =>
        (await RunClaimedGroupAsync([(action, hint)]))[0];

    /// <summary>
    /// Carries out claimed actions on copies of one mailbox, one after another within one slot of the
    /// store's gate, so they share one store session; releases the claims. Actions that do not reach the
    /// store (nothing to do, exempt, dry run) run without waiting for the gate.
    /// </summary>
    public async Task<IReadOnlyList<CopyOutcome>> RunClaimedGroupAsync(
        IReadOnlyList<(PendingAction Action, CachedCopy? Hint)> group)
    {
        var token = _stopping.Token;
        var outcomes = new CopyOutcome[group.Count];
        var storeWork = new List<int>();
        try
        {
            // Step 1: read what is not known yet, and settle what needs no store right away.
            var copies = new CachedCopy?[group.Count];
            for (var i = 0; i < group.Count; i++)
            {
                var action = group[i].Action;
                try
                {
                    copies[i] = group[i].Hint ?? await _cache.GetAsync(action.CopyId);
                }
                catch (RedisException ex)
                {
                    ActionsLog.ActionCrashed(_logger, action.CopyId, action.EventId, ex);
                    outcomes[i] = CopyOutcome.Failed;
                    continue;
                }

                if (copies[i] is not { } copy)
                {
                    outcomes[i] = await GuardAsync(action, () => LeftWindowAsync(action));
                }
                else if (ReachesStore(copy, action.Kind))
                {
                    storeWork.Add(i);
                }
                else
                {
                    outcomes[i] = await GuardAsync(action, () => UnderLeaseAsync(action, token));
                }
            }

            if (storeWork.Count == 0)
            {
                return outcomes;
            }

            // Step 2: the mailbox's turn, then a slot of the store's gate for all its copies.
            var first = copies[storeWork[0]]!;
            var mailbox = EnvelopeAddress.TryParse(first.Record.Recipient, out var address)
                ? address.MailboxAddress
                : first.Record.Recipient;
            using var turn = await _mailboxes.AcquireAsync($"{(int)first.Record.Store}/{mailbox}", token);
            using var slot = await _gates[first.Record.Store].EnterAsync(token);
            foreach (var i in storeWork)
            {
                outcomes[i] = await GuardAsync(group[i].Action, () => UnderLeaseAsync(group[i].Action, token));
            }

            return outcomes;
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // Stopping: what did not finish stays in the pending list for the next start.
            return outcomes;
        }
        finally
        {
            foreach (var (action, _) in group)
            {
                _inFlight.TryRemove(action.CopyId, out _);
            }
        }
    }

    public void Dispose()
    {
        _stopping.Cancel();
        _stopping.Dispose();
        foreach (var gate in _gates.Values)
        {
            gate.Dispose();
        }
    }

    /// <summary>Runs one action; Redis down or a bug fails that action only, which stays pending.</summary>
    private async Task<CopyOutcome> GuardAsync(PendingAction action, Func<Task<CopyOutcome>> run)
    {
        try
        {
            return await run();
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !_stopping.IsCancellationRequested)
        {
            ActionsLog.ActionCrashed(_logger, action.CopyId, action.EventId, ex);
            return CopyOutcome.Failed;
        }
    }

    /// <summary>True when the action will call the store (so it waits for the store's limits).</summary>
    private bool ReachesStore(CachedCopy copy, FingerprintEventKind kind)
    {
        var step = CopyTransitions.StepFor(copy.Progress.State, kind);
        return step is CopyStep.Remediate or CopyStep.Undo or CopyStep.Locate && !IsExempt(copy, step, out _)
            && !(IsDryRun(copy.Record.Store) && step != CopyStep.Locate);
    }

    private async Task<CopyOutcome> UnderLeaseAsync(PendingAction action, CancellationToken token)
    {
        // The read is sent right behind the lease on the same connection, so Redis runs it after the
        // lease is taken (one round trip for both); it is used only if the lease was ours.
        var leasing = _cache.TryLeaseAsync(action.CopyId, LeaseDuration);
        var reading = _cache.GetAsync(action.CopyId);
        var lease = await leasing;
        if (lease is null)
        {
            _ = reading.ContinueWith(t => t.Exception, TaskContinuationOptions.OnlyOnFaulted);
            ActionsLog.CopyBusy(_logger, action.CopyId, action.EventId);
            await _queue.RescheduleAsync(action, action, _time.GetUtcNow() + BusyDelay);
            return CopyOutcome.Skipped;
        }

        try
        {
            var copy = await reading;
            return copy is null ? await LeftWindowAsync(action) : await DecideAndActAsync(action, copy, token);
        }
        finally
        {
            // Not awaited: nothing waits for it, and a lease left behind expires by itself.
            _ = _cache.ReleaseLeaseAsync(action.CopyId, lease)
                .ContinueWith(t => t.Exception, TaskContinuationOptions.OnlyOnFaulted);
        }
    }

    private async Task<CopyOutcome> DecideAndActAsync(PendingAction action, CachedCopy copy, CancellationToken token)
    {
        var step = CopyTransitions.StepFor(copy.Progress.State, action.Kind);
        switch (step)
        {
            case CopyStep.None:
                await _queue.CompleteAsync(action);
                return CopyOutcome.Skipped;
            case CopyStep.CannotUndo:
                await FinishAsync(action, copy, copy.Progress.State, AuditAction.Skip, AuditResult.CannotUndo,
                    "a deleted copy cannot be brought back", copy.Progress.FlagsAdded);
                return CopyOutcome.Skipped;
        }

        if (IsExempt(copy, step, out var why))
        {
            await FinishAsync(action, copy, copy.Progress.State, AuditAction.Skip, AuditResult.Exempt, why,
                copy.Progress.FlagsAdded);
            return CopyOutcome.Skipped;
        }

        var store = copy.Record.Store;
        var storeAction = step == CopyStep.Remediate
            ? PolicyOf(store).Action
            : CopyTransitions.ActionOf(copy.Progress.State);
        var auditAction = AuditActionOf(step, storeAction);
        if (IsDryRun(store) && step != CopyStep.Locate)
        {
            await FinishAsync(action, copy, copy.Progress.State, auditAction, AuditResult.DryRun,
                $"dry run: would {AuditLabels.Action(auditAction).Replace('_', ' ')}", copy.Progress.FlagsAdded);
            return CopyOutcome.Skipped;
        }

        var operation = step switch
        {
            CopyStep.Remediate => StoreOperation.Remediate,
            CopyStep.Undo => StoreOperation.Undo,
            _ => StoreOperation.Locate,
        };
        var command = new StoreCommand(action.CopyId, copy.Record, operation, storeAction, copy.Progress.FlagsAdded,
            PolicyOf(store).OnlyUnread, action.EventId);
        var result = await CallStoreAsync(command, token);

        if (step == CopyStep.Locate)
        {
            if (result.Place == CopyPlace.Unknown)
            {
                await RetryAsync(action, copy, AuditAction.Locate, result.Detail);
                return CopyOutcome.Skipped;
            }

            var located = CopyTransitions.AfterLocate(copy.Progress.State, result.Place);
            await FinishAsync(action, copy, located, AuditAction.Locate, PlaceResult(result.Place),
                LocateWords(result.Place, result.Detail), copy.Progress.FlagsAdded);
            return CopyOutcome.Skipped;
        }

        if (result.Status == StoreActionStatus.Failed)
        {
            await RetryAsync(action, copy, auditAction, result.Detail);
            return CopyOutcome.Failed;
        }

        var state = CopyTransitions.After(step, copy.Progress.State, storeAction, result.Status);
        var flags = step == CopyStep.Remediate ? result.FlagsAdded : StoreFlags.None;
        await FinishAsync(action, copy, state, auditAction, ResultOf(result.Status), result.Detail, flags);
        if (result.Status is StoreActionStatus.Done or StoreActionStatus.AlreadyDone)
        {
            RemediationMetrics.ActionLatency(store, AuditLabels.Action(auditAction), Since(action.EventAt));
        }

        return result.Status switch
        {
            StoreActionStatus.Done => CopyOutcome.Acted,
            StoreActionStatus.Refused => CopyOutcome.Failed,
            _ => CopyOutcome.Skipped,
        };
    }

    /// <summary>
    /// Calls the adapter with the action's time limit; an adapter that throws is a failed try, not a crash.
    /// </summary>
    private async Task<StoreActionResult> CallStoreAsync(StoreCommand command, CancellationToken token)
    {
        if (!_adapters.TryGetValue(command.Record.Store, out var adapter) || !adapter.IsConfigured)
        {
            return StoreActionResult.Failed(
                $"no {RemediationMetrics.StoreLabel(command.Record.Store)} store is configured; waiting for one");
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(token);
        timeout.CancelAfter(_options.Value.Retry.ActionTimeout);
        try
        {
            await _gates[command.Record.Store].ThrottleAsync(timeout.Token);
            return await adapter.ApplyAsync(command, timeout.Token);
        }
        catch (OperationCanceledException) when (!token.IsCancellationRequested)
        {
            return StoreActionResult.Failed(
                $"the store did not finish within {_options.Value.Retry.ActionTimeout.TotalSeconds:0} s");
        }
    }

    /// <summary>
    /// A final result: save the state, audit it, count it, and drop the action from the pending list.
    /// </summary>
    private async Task FinishAsync(
        PendingAction action, CachedCopy copy, CopyState state, AuditAction auditAction, AuditResult result,
        string detail, StoreFlags flags)
    {
        var now = _time.GetUtcNow();
        var progress = new CopyProgress(state, auditAction, result, flags, now);
        var saving = _cache.SaveProgressAsync(copy, progress);
        var auditing = AuditAsync(action, copy, auditAction, result, detail, action.Attempts + 1, state);
        if (!await saving)
        {
            ActionsLog.CopyExpiredWhileActing(_logger, copy.Id);
        }

        await auditing;
        RemediationMetrics.ActionTaken(copy.Record.Store, AuditLabels.Action(auditAction), AuditLabels.Result(result));
        ActionsLog.CopyActed(_logger, copy.Id, copy.Record.QueueId, copy.Record.Recipient,
            RemediationMetrics.StoreLabel(copy.Record.Store), AuditLabels.Action(auditAction),
            AuditLabels.Result(result), CopyStates.Describe(copy.Progress.State), CopyStates.Describe(state), detail);

        // Only once the result is saved: a crash before this repeats the action, which then finds it done.
        await _queue.CompleteAsync(action);
    }

    /// <summary>The store failed: keep the state, note the try, and put the action back with back-off.</summary>
    private async Task RetryAsync(PendingAction action, CachedCopy copy, AuditAction auditAction, string detail)
    {
        var now = _time.GetUtcNow();
        var attempts = action.Attempts + 1;
        var retry = _options.Value.Retry;
        var delay = RetryBackoff.Delay(attempts, retry.InitialDelay, retry.MaxDelay, Random.Shared.NextDouble());
        var next = action.Clone();
        next.Attempts = attempts;
        next.LastError = detail;
        await _queue.RescheduleAsync(action, next, now + delay);

        var progress = copy.Progress with
        {
            LastAction = auditAction,
            LastResult = AuditResult.Retrying,
            LastActionAt = now,
        };
        await _cache.SaveProgressAsync(copy, progress);

        // Audit the first failure and then every doubling, so a long outage does not flood the bounded log.
        if ((attempts & (attempts - 1)) == 0)
        {
            await AuditAsync(action, copy, auditAction, AuditResult.Retrying,
                $"{detail}; try {attempts}, next in {delay.TotalSeconds:0.#} s", attempts, copy.Progress.State);
        }

        // The metric counts the failed try ("failed", which the alerts watch); the audit says it is retried.
        RemediationMetrics.ActionTaken(copy.Record.Store, AuditLabels.Action(auditAction), "failed");
        ActionsLog.CopyActionFailed(_logger, copy.Id, copy.Record.QueueId, copy.Record.Recipient,
            RemediationMetrics.StoreLabel(copy.Record.Store), AuditLabels.Action(auditAction), attempts, delay, detail);
    }

    /// <summary>
    /// The copy is gone (its window passed): nothing left to act on. Tell the audit if it was waiting for a store.
    /// </summary>
    private async Task<CopyOutcome> LeftWindowAsync(PendingAction action)
    {
        if (await _queue.CompleteAsync(action) && action.Attempts > 0)
        {
            var entry = new RemediationAuditEntry
            {
                At = Timestamp.FromDateTimeOffset(_time.GetUtcNow()),
                CopyId = action.CopyId,
                Action = AuditLabels.Action(AuditAction.Skip),
                Result = AuditLabels.Result(AuditResult.GaveUp),
                Detail = $"the copy left the window after {action.Attempts} tries; last error: {action.LastError}",
                EventId = action.EventId,
                Attempt = action.Attempts,
            };
            await _audit.AppendAsync(entry);
            ActionsLog.GaveUp(_logger, action.CopyId, action.Attempts, action.LastError);
        }

        return CopyOutcome.Skipped;
    }

    private async Task AuditAsync(
        PendingAction action, CachedCopy copy, AuditAction auditAction, AuditResult result, string detail, int attempt,
        CopyState after)
    {
        var entry = new RemediationAuditEntry
        {
            At = Timestamp.FromDateTimeOffset(_time.GetUtcNow()),
            CopyId = copy.Id,
            QueueId = copy.Record.QueueId,
            Recipient = copy.Record.Recipient,
            MessageId = copy.Record.MessageId,
            Store = copy.Record.Store,
            Action = AuditLabels.Action(auditAction),
            Result = AuditLabels.Result(result),
            Detail = detail,
            EventId = action.EventId,
            Attempt = attempt,
            StateBefore = copy.Progress.State,
            StateAfter = after,
            LatencySeconds = Since(action.EventAt).TotalSeconds,
        };
        try
        {
            await _audit.AppendAsync(entry);
        }
        catch (RedisException ex)
        {
            // The action happened and its state is saved; losing its audit line must not undo that.
            ActionsLog.AuditWriteFailed(_logger, copy.Id, ex);
        }
    }

    private bool IsExempt(CachedCopy copy, CopyStep step, out string why)
    {
        why = copy.Exemption switch
        {
            CopyExemption.SafeSender => "the sender is a safe sender",
            CopyExemption.AllowListedClient => "the sending client is on the allow list",
            _ => _exemptRecipients.MatchesAddress(copy.Record.Recipient) ? "the recipient is exempt" : "",
        };
        return step == CopyStep.Remediate && why.Length > 0;
    }

    private bool IsDryRun(MailboxStoreKind store) => _options.Value.DryRun || PolicyOf(store).DryRun;

    private StorePolicyOptions PolicyOf(MailboxStoreKind store) => store switch
    {
        MailboxStoreKind.Imap => _options.Value.Imap,
        MailboxStoreKind.Jmap => _options.Value.Jmap,
        MailboxStoreKind.Webhook => _options.Value.Webhook,
        _ => _options.Value.Maildir,
    };

    private TimeSpan Since(Timestamp? at) =>
        at is null ? TimeSpan.Zero : _time.GetUtcNow() - at.ToDateTimeOffset();

    private static AuditAction AuditActionOf(CopyStep step, StoreAction action) => (step, action) switch
    {
        (CopyStep.Locate, _) => AuditAction.Locate,
        (CopyStep.Undo, StoreAction.Flag) => AuditAction.Unflag,
        (CopyStep.Undo, _) => AuditAction.Restore,
        (_, StoreAction.MoveToQuarantine) => AuditAction.MoveToQuarantine,
        (_, StoreAction.Delete) => AuditAction.Delete,
        (_, StoreAction.Flag) => AuditAction.Flag,
        _ => AuditAction.MoveToJunk,
    };

    private static AuditResult ResultOf(StoreActionStatus status) => status switch
    {
        StoreActionStatus.Done => AuditResult.Done,
        StoreActionStatus.AlreadyDone => AuditResult.AlreadyDone,
        StoreActionStatus.NotFound => AuditResult.NotFound,
        StoreActionStatus.SkippedRead => AuditResult.SkippedRead,
        StoreActionStatus.Refused => AuditResult.Refused,
        _ => AuditResult.Failed,
    };

    private static AuditResult PlaceResult(CopyPlace place) => place switch
    {
        CopyPlace.Inbox => AuditResult.Inbox,
        CopyPlace.Remediated => AuditResult.Remediated,
        CopyPlace.Elsewhere => AuditResult.Elsewhere,
        _ => AuditResult.Unknown,
    };

    private static string LocateWords(CopyPlace place, string detail) => place switch
    {
        CopyPlace.Inbox => $"the user took it back; left alone for good ({detail})",
        CopyPlace.Remediated => $"still as we left it ({detail})",
        _ => $"the user deleted or filed it ({detail})",
    };
}
