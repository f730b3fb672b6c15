using Gateway.Common.Mail;
using Gateway.Contracts;
using Gateway.RetroRemediation.Cache;
using Gateway.RetroRemediation.Configuration;
using Gateway.RetroRemediation.Metrics;
using Gateway.RetroRemediation.Stores;
using Gateway.V1;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Gateway.RetroRemediation;

/// <summary>
/// Tier 4: remembers every delivered copy for the window, and when a fingerprint is convicted moves
/// each copy carrying it to Junk (or back, when the conviction is reversed). Copies are handled one
/// by one under a short per-copy lease, so a failure on one never stops the others and two workers
/// never act on the same copy at once. The state machine is <see cref="CopyTransitions"/>.
/// </summary>
public sealed class RetroRemediationService : IRetroRemediation
{
    public const int MaxFingerprints = 256;
    public const int MaxFingerprintLength = 512;
    private const int MaxQueueIdLength = 128;
    private const int MaxRecipientLength = 320;
    private const int MaxLocationLength = 4096;
    private const int MaxMessageIdLength = 998;

    /// <summary>Longer than any single store operation (IMAP timeout is at most 10 minutes per command).</summary>
    private static readonly TimeSpan LeaseDuration = TimeSpan.FromMinutes(15);

    private readonly DeliveredMailCache _cache;
    private readonly Dictionary<MailboxStoreKind, IMailboxStoreAdapter> _adapters;
    private readonly IOptions<RetroRemediationOptions> _options;
    private readonly TimeProvider _time;
    private readonly ILogger<RetroRemediationService> _logger;

    public RetroRemediationService(
        DeliveredMailCache cache,
        IEnumerable<IMailboxStoreAdapter> adapters,
        IOptions<RetroRemediationOptions> options,
        TimeProvider time,
        ILogger<RetroRemediationService> logger)
    {
        _cache = cache;
        _adapters = adapters.ToDictionary(a => a.Kind);
        _options = options;
        _time = time;
        _logger = logger;
    }

    public async Task RecordDeliveryAsync(DeliveryRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        ValidateRecord(record);
        var fingerprints = CleanFingerprints(record.Fingerprints, "DeliveryRecord.fingerprints");
        if (fingerprints.Count == 0)
        {
            RetroRemediationLog.CopyWithoutFingerprints(_logger, record.QueueId, record.Recipient);
            return;
        }

        var cached = await _cache.AddAsync(record, fingerprints);
        if (cached is null)
        {
            RetroRemediationLog.CopyOutsideWindow(_logger, record.QueueId, record.Recipient);
            return;
        }

        RemediationMetrics.CopyRecorded(record.Store);
        RetroRemediationLog.CopyRecorded(
            _logger, cached.Id, record.QueueId, record.Recipient, RemediationMetrics.StoreLabel(record.Store),
            fingerprints.Count);
        if (record.Store == MailboxStoreKind.Imap && !_options.Value.Imap.IsConfigured)
        {
            RetroRemediationLog.ImapStoreNotConfigured(_logger, record.Recipient);
        }
    }

    public async Task<RemediationSummary> HandleFingerprintEventAsync(
        FingerprintEvent fingerprintEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fingerprintEvent);
        if (fingerprintEvent.Kind is not (FingerprintEventKind.Convicted or FingerprintEventKind.Reversed))
        {
            throw new ArgumentException(
                "FingerprintEvent.kind must be CONVICTED or REVERSED.", nameof(fingerprintEvent));
        }

        var fingerprints = CleanFingerprints(fingerprintEvent.Fingerprints, "FingerprintEvent.fingerprints");
        var summary = new RemediationSummary();
        if (fingerprints.Count == 0)
        {
            return summary;
        }

        var options = _options.Value;
        var lookup = await _cache.FindAsync(fingerprints, options.MaxCopiesPerEvent);
        if (lookup.TotalFound > lookup.Copies.Count)
        {
            RetroRemediationLog.TooManyCopies(
                _logger, fingerprintEvent.EventId, lookup.TotalFound, lookup.Copies.Count);
        }

        int acted = 0, failed = 0, skipped = lookup.TotalFound - lookup.Copies.Count;
        var parallel = new ParallelOptions
        {
            MaxDegreeOfParallelism = options.MaxParallelActions,
            CancellationToken = cancellationToken,
        };
        await Parallel.ForEachAsync(lookup.Copies, parallel, async (copy, token) =>
        {
            var outcome = await ActOnCopyAsync(copy.Id, fingerprintEvent, token);
            _ = outcome switch
            {
                CopyOutcome.Acted => Interlocked.Increment(ref acted),
                CopyOutcome.Failed => Interlocked.Increment(ref failed),
                _ => Interlocked.Increment(ref skipped),
            };
        });

        summary.CopiesFound = lookup.TotalFound;
        summary.CopiesActed = acted;
        summary.CopiesFailed = failed;
        summary.CopiesSkipped = skipped;
        RetroRemediationLog.EventHandled(
            _logger, fingerprintEvent.EventId, KindLabel(fingerprintEvent.Kind), fingerprints.Count,
            fingerprintEvent.Source, summary.CopiesFound, acted, failed, skipped);
        return summary;
    }

    public async Task<FindDeliveriesReply> FindDeliveriesAsync(
        FindDeliveriesRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var fingerprints = CleanFingerprints(request.Fingerprints, "FindDeliveriesRequest.fingerprints");
        var reply = new FindDeliveriesReply();
        if (fingerprints.Count > 0)
        {
            var lookup = await _cache.FindAsync(fingerprints, _options.Value.MaxCopiesPerEvent);
            reply.Copies.AddRange(lookup.Copies.Select(c => c.Copy));
        }

        return reply;
    }

    /// <summary>Takes the copy's lease, decides from its current state, acts, and stores the new state.</summary>
    private async Task<CopyOutcome> ActOnCopyAsync(
        string id, FingerprintEvent fingerprintEvent, CancellationToken token)
    {
        string? lease = null;
        try
        {
            lease = await _cache.TryLeaseAsync(id, LeaseDuration);
            if (lease is null)
            {
                RetroRemediationLog.CopyBusy(_logger, id, fingerprintEvent.EventId);
                return CopyOutcome.Skipped;
            }

            // Read again under the lease: another worker may have acted since the lookup.
            var copy = await _cache.GetAsync(id);
            if (copy is null)
            {
                return CopyOutcome.Skipped;
            }

            var step = CopyTransitions.StepFor(copy.Copy.State, fingerprintEvent.Kind);
            if (step == CopyStep.None)
            {
                return CopyOutcome.Skipped;
            }

            if (!_adapters.TryGetValue(copy.Copy.Record.Store, out var adapter))
            {
                RetroRemediationLog.NoStoreAdapter(_logger, id, copy.Copy.Record.Store.ToString());
                return CopyOutcome.Failed;
            }

            return step == CopyStep.CheckUserRestored
                ? await CheckAsync(copy, adapter, fingerprintEvent, token)
                : await MoveAsync(copy, step, adapter, fingerprintEvent, token);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !token.IsCancellationRequested)
        {
            RetroRemediationLog.CopyActionCrashed(_logger, id, fingerprintEvent.EventId, ex);
            return CopyOutcome.Failed;
        }
        finally
        {
            if (lease is not null)
            {
                try
                {
                    await _cache.ReleaseLeaseAsync(id, lease);
                }
                catch (RedisException)
                {
                    // The lease expires on its own; nothing is lost by leaving it.
                }
            }
        }
    }

    private async Task<CopyOutcome> MoveAsync(
        CachedCopy copy, CopyStep step, IMailboxStoreAdapter adapter, FingerprintEvent fingerprintEvent,
        CancellationToken token)
    {
        var record = copy.Copy.Record;
        var toJunk = step == CopyStep.MoveToJunk;
        var result = toJunk
            ? await adapter.MoveToJunkAsync(record, token)
            : await adapter.RestoreAsync(record, token);

        var action = toJunk ? "move_to_junk" : "restore";
        var resultLabel = ResultLabel(result.Status);
        RemediationMetrics.ActionTaken(record.Store, action, resultLabel);

        var oldState = copy.Copy.State;
        var newState = CopyTransitions.After(step, oldState, result.Status);
        var words = toJunk ? "move to Junk" : "restore to the inbox";
        await SaveAsync(
            copy, newState, $"{words} for event {fingerprintEvent.EventId}: {resultLabel} ({result.Detail})");

        var store = RemediationMetrics.StoreLabel(record.Store);
        if (result.Status == StoreActionStatus.Failed)
        {
            RetroRemediationLog.CopyActionFailed(
                _logger, copy.Id, record.QueueId, record.Recipient, store, action,
                CopyStates.Describe(newState), result.Detail);
            return CopyOutcome.Failed;
        }

        RetroRemediationLog.CopyActed(
            _logger, copy.Id, record.QueueId, record.Recipient, store, action, resultLabel,
            CopyStates.Describe(oldState), CopyStates.Describe(newState), result.Detail);
        return result.Status switch
        {
            StoreActionStatus.Moved => CopyOutcome.Acted,
            StoreActionStatus.Refused => CopyOutcome.Failed,
            _ => CopyOutcome.Skipped,
        };
    }

    /// <summary>A conviction of a copy already in Junk: look, never move, and remember a rescue by the user.</summary>
    private async Task<CopyOutcome> CheckAsync(
        CachedCopy copy, IMailboxStoreAdapter adapter, FingerprintEvent fingerprintEvent, CancellationToken token)
    {
        var record = copy.Copy.Record;
        var location = await adapter.LocateAsync(record, token);
        var placeLabel = location.Place.ToString().ToLowerInvariant();
        RemediationMetrics.ActionTaken(record.Store, "locate", placeLabel);

        var oldState = copy.Copy.State;
        var newState = CopyTransitions.AfterCheck(oldState, location.Place);
        var meaning = location.Place switch
        {
            CopyPlace.Inbox => "the user moved it back to the inbox; left there for good",
            CopyPlace.Junk => "still in Junk",
            CopyPlace.Elsewhere => "the user deleted or filed it",
            _ => "could not check",
        };
        await SaveAsync(copy, newState,
            $"conviction for event {fingerprintEvent.EventId}, already moved: {meaning} ({location.Detail})");
        RetroRemediationLog.CopyActed(
            _logger, copy.Id, record.QueueId, record.Recipient, RemediationMetrics.StoreLabel(record.Store), "locate",
            placeLabel, CopyStates.Describe(oldState), CopyStates.Describe(newState), location.Detail);
        return CopyOutcome.Skipped;
    }

    private async Task SaveAsync(CachedCopy copy, CopyState state, string lastAction)
    {
        copy.Copy.State = state;
        copy.Copy.LastAction = lastAction;
        copy.Copy.LastActionAt = Timestamp.FromDateTimeOffset(_time.GetUtcNow());
        if (!await _cache.UpdateAsync(copy))
        {
            RetroRemediationLog.CopyExpiredWhileActing(_logger, copy.Id);
        }
    }

    private static void ValidateRecord(DeliveryRecord record)
    {
        static void Require(bool condition, string message)
        {
            if (!condition)
            {
                throw new ArgumentException(message, nameof(record));
            }
        }

        Require(record.QueueId.Length is > 0 and <= MaxQueueIdLength && !record.QueueId.Any(char.IsControl),
            $"DeliveryRecord.queue_id must be 1-{MaxQueueIdLength} printable characters.");
        Require(record.Recipient.Length <= MaxRecipientLength && EnvelopeAddress.TryParse(record.Recipient, out _),
            "DeliveryRecord.recipient must be an address (local@domain).");
        Require(record.Store is MailboxStoreKind.Maildir or MailboxStoreKind.Imap,
            "DeliveryRecord.store must be MAILDIR or IMAP.");
        Require(record.Store != MailboxStoreKind.Maildir || record.Location.Length > 0,
            "DeliveryRecord.location is required for a Maildir copy.");
        Require(record.Location.Length <= MaxLocationLength,
            $"DeliveryRecord.location is longer than {MaxLocationLength}.");
        Require(record.MessageId.Length <= MaxMessageIdLength,
            $"DeliveryRecord.message_id is longer than {MaxMessageIdLength}.");
        Require(record.Size >= 0, "DeliveryRecord.size must not be negative.");
    }

    /// <summary>Distinct fingerprints, each checked; a malformed list is the caller's error.</summary>
    private static List<string> CleanFingerprints(IReadOnlyCollection<string> fingerprints, string field)
    {
        if (fingerprints.Count > MaxFingerprints)
        {
            throw new ArgumentException($"{field} has {fingerprints.Count} entries; at most {MaxFingerprints}.");
        }

        foreach (var fingerprint in fingerprints)
        {
            if (fingerprint.Length is 0 or > MaxFingerprintLength
                || fingerprint.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
            {
                throw new ArgumentException($"{field} holds an empty, too long or non-printable fingerprint.");
            }
        }

        return fingerprints.Distinct(StringComparer.Ordinal).ToList();
    }

    private static string ResultLabel(StoreActionStatus status) => status switch
    {
        StoreActionStatus.Moved => "moved",
        StoreActionStatus.AlreadyThere => "already_there",
        StoreActionStatus.NotFound => "not_found",
        StoreActionStatus.Refused => "refused",
        _ => "failed",
    };

    private static string KindLabel(FingerprintEventKind kind) =>
        kind == FingerprintEventKind.Convicted ? "convicted" : "reversed";
}
