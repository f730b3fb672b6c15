using System.Collections.Concurrent;
using Gateway.Common.Mail;
using Gateway.Contracts;
using Gateway.RetroRemediation.Actions;
using Gateway.RetroRemediation.Audit;
using Gateway.RetroRemediation.Cache;
using Gateway.RetroRemediation.Configuration;
using Gateway.RetroRemediation.Matching;
using Gateway.RetroRemediation.Metrics;
using Gateway.RetroRemediation.Policy;
using Gateway.RetroRemediation.Reputation;
using Gateway.V1;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gateway.RetroRemediation;

/// <summary>
/// Tier 4: remembers every delivered copy for the window, and when a fingerprint is convicted applies
/// each store's action to every copy carrying it (or undoes it, when the conviction is reversed).
/// An event first writes one durable pending action per copy, then carries them out at once and
/// waits for them, so a report sees what was done; whatever fails (a store down) stays pending and the
/// <see cref="PendingActionWorker"/> retries it with back-off. The state machine is <see cref="CopyTransitions"/>.
/// </summary>
public sealed class RetroRemediationService : IRetroRemediation, IRemediationQueries
{
    public const int MaxFingerprints = 256;
    public const int MaxFingerprintLength = 512;
    private const int MaxQueueIdLength = 128;
    private const int MaxRecipientLength = 320;
    private const int MaxLocationLength = 4096;
    private const int MaxMessageIdLength = 998;
    private const int MaxFolderLength = 255;
    private const int DefaultListLimit = 100;
    private const int MaxListLimit = 10_000;
    private const int MaxShownActions = 1000;

    private readonly DeliveredMailCache _cache;
    private readonly PendingActionQueue _queue;
    private readonly CopyActionRunner _runner;
    private readonly AuditLog _audit;
    private readonly SenderExemption _exemption;
    private readonly MessageOriginStore _origins;
    private readonly IReadOnlyList<IConvictionFeedback> _feedback;
    private readonly IOptions<RetroRemediationOptions> _options;
    private readonly TimeProvider _time;
    private readonly ILogger<RetroRemediationService> _logger;
    private readonly ConcurrentDictionary<MailboxStoreKind, bool> _warnedStores = new();

    public RetroRemediationService(
        DeliveredMailCache cache,
        PendingActionQueue queue,
        CopyActionRunner runner,
        AuditLog audit,
        SenderExemption exemption,
        MessageOriginStore origins,
        IEnumerable<IConvictionFeedback> feedback,
        IOptions<RetroRemediationOptions> options,
        TimeProvider time,
        ILogger<RetroRemediationService> logger)
    {
        _origins = origins;
        _feedback = feedback.ToList();
        _cache = cache;
        _queue = queue;
        _runner = runner;
        _audit = audit;
        _exemption = exemption;
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

        var exemption = _exemption.For(record);
        var cached = await _cache.AddAsync(record, fingerprints, exemption);
        if (cached is null)
        {
            RetroRemediationLog.CopyOutsideWindow(_logger, record.QueueId, record.Recipient);
            return;
        }

        if (_feedback.Count > 0)
        {
            await _origins.RememberAsync(record);
        }

        RemediationMetrics.CopyRecorded(record.Store);
        RetroRemediationLog.CopyRecorded(
            _logger, cached.Id, record.QueueId, record.Recipient, RemediationMetrics.StoreLabel(record.Store),
            fingerprints.Count);
        WarnIfStoreMissing(record);
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

        if (fingerprintEvent.EventId.Length > MaxQueueIdLength || fingerprintEvent.EventId.Any(char.IsControl))
        {
            throw new ArgumentException(
                $"FingerprintEvent.event_id must be at most {MaxQueueIdLength} printable characters.");
        }

        var fingerprints = CleanFingerprints(fingerprintEvent.Fingerprints, "FingerprintEvent.fingerprints");
        var rule = MatchRule(fingerprints, fingerprintEvent.Groups, "FingerprintEvent.groups");
        var summary = new RemediationSummary();
        if (rule.Probes.Count == 0)
        {
            return summary;
        }

        var options = _options.Value;
        var lookup = await _cache.FindAsync(rule.Probes, options.MaxCopiesPerEvent, rule.Matches);
        if (lookup.TotalFound > lookup.Copies.Count)
        {
            RetroRemediationLog.TooManyCopies(
                _logger, fingerprintEvent.EventId, lookup.TotalFound, lookup.Copies.Count);
        }

        // Step 1: one durable pending action per copy that may need one, before anything is tried.
        var now = _time.GetUtcNow();
        var eventAt = fingerprintEvent.At is { } at && at.ToDateTimeOffset() <= now
            ? at
            : Timestamp.FromDateTimeOffset(now);
        var work = lookup.Copies
            .Where(c => CopyTransitions.StepFor(c.Progress.State, fingerprintEvent.Kind) != CopyStep.None)
            .OrderBy(c => c.Record.Store)
            .ThenBy(c => c.Record.Recipient, StringComparer.OrdinalIgnoreCase)
            .Select(c => (Copy: c, Action: new PendingAction
            {
                CopyId = c.Id,
                Kind = fingerprintEvent.Kind,
                EventId = fingerprintEvent.EventId,
                EventAt = eventAt,
                EnqueuedAt = Timestamp.FromDateTimeOffset(now),
            }))
            .ToList();
        await _queue.EnqueueAsync(work.Select(w => w.Action).ToList(), now + options.Retry.InlineGrace);
        if (fingerprintEvent.Kind == FingerprintEventKind.Convicted && _feedback.Count > 0)
        {
            await ChargeSendersAsync(fingerprintEvent.EventId,
                work.Select(w => w.Copy).Where(c => c.Exemption == CopyExemption.None).ToList(), now);
        }

        // Step 2: carry them out now, one task per mailbox so its copies share one store session. The
        // work belongs to the process, not to this call: if the caller gives up waiting, it goes on, and
        // what fails stays pending for the worker.
        var runs = new List<Task<IReadOnlyList<CopyOutcome>>>();
        foreach (var mailbox in work.GroupBy(w => (w.Copy.Record.Store, Mailbox: MailboxOf(w.Copy.Record))))
        {
            var claimed = new List<(PendingAction, CachedCopy?)>();
            foreach (var (copy, action) in mailbox)
            {
                if (_runner.TryBegin(action.CopyId))
                {
                    claimed.Add((action, copy));
                }
                else
                {
                    // Being worked on here for an earlier event; the worker takes this one up after that.
                    await _queue.RescheduleAsync(action, action, now + options.Retry.PollInterval);
                }
            }

            if (claimed.Count > 0)
            {
                runs.Add(Task.Run(() => _runner.RunClaimedGroupAsync(claimed)));
            }
        }

        var outcomes = (await Task.WhenAll(runs).WaitAsync(cancellationToken)).SelectMany(o => o).ToList();
        summary.CopiesFound = lookup.TotalFound;
        summary.CopiesActed = outcomes.Count(o => o == CopyOutcome.Acted);
        summary.CopiesFailed = outcomes.Count(o => o == CopyOutcome.Failed);
        summary.CopiesSkipped = summary.CopiesFound - summary.CopiesActed - summary.CopiesFailed;
        RetroRemediationLog.EventHandled(
            _logger, fingerprintEvent.EventId, KindLabel(fingerprintEvent.Kind), fingerprints.Count,
            fingerprintEvent.Source, summary.CopiesFound, summary.CopiesActed, summary.CopiesFailed,
            summary.CopiesSkipped);
        return summary;
    }

    /// <summary>
    /// Tells sender intelligence about each message the conviction newly caught, once per message: its client
    /// loses reputation as if the spam had been recognised at the end of DATA. Best effort; never fails the event.
    /// </summary>
    private async Task ChargeSendersAsync(string eventId, IReadOnlyList<CachedCopy> copies, DateTimeOffset now)
    {
        try
        {
            var perMessage = copies.GroupBy(c => c.Record.QueueId, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
            var origins = await _origins.ReadAsync(perMessage.Keys.ToList());
            foreach (var (queueId, origin) in origins)
            {
                if (!await _origins.TryMarkChargedAsync(queueId))
                {
                    continue;
                }

                var message = new ConvictedMessage(
                    eventId + ":" + queueId, queueId, origin.ClientIp, origin.SenderDomain, perMessage[queueId], now);
                foreach (var sink in _feedback)
                {
                    await sink.ReportAsync(message, CancellationToken.None);
                }

                RetroRemediationLog.SenderCharged(_logger, eventId, queueId, origin.ClientIp, perMessage[queueId]);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            RetroRemediationLog.SenderChargeFailed(_logger, eventId, ex);
        }
    }

    public async Task<FindDeliveriesReply> FindDeliveriesAsync(
        FindDeliveriesRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var fingerprints = CleanFingerprints(request.Fingerprints, "FindDeliveriesRequest.fingerprints");
        var rule = MatchRule(fingerprints, request.Groups, "FindDeliveriesRequest.groups");
        var reply = new FindDeliveriesReply();
        if (rule.Probes.Count > 0)
        {
            var lookup = await _cache.FindAsync(rule.Probes, _options.Value.MaxCopiesPerEvent, rule.Matches);
            reply.Copies.AddRange(lookup.Copies.Select(c => c.ToDeliveredCopy()));
        }

        return reply;
    }

    public async Task<ListActionsReply> ListActionsAsync(
        ListActionsRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var limit = request.Limit == 0 ? DefaultListLimit : request.Limit;
        if (limit is < 1 or > MaxListLimit)
        {
            throw new ArgumentException($"ListActionsRequest.limit must be between 1 and {MaxListLimit}.");
        }

        var (entries, truncated) = await _audit.ListAsync(request.Since?.ToDateTimeOffset(), limit);
        var reply = new ListActionsReply { Truncated = truncated, Pending = await _queue.CountAsync() };
        reply.Entries.AddRange(entries);
        return reply;
    }

    public async Task<ShowCopyReply> ShowCopyAsync(ShowCopyRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var id = request.Id.Trim();
        var reply = new ShowCopyReply { Query = id };
        if (CopyId.TryParse(id, out _))
        {
            if (await _cache.GetAsync(id) is { } copy)
            {
                reply.Copies.Add(copy.ToDeliveredCopy());
            }

            reply.Actions.AddRange(await _audit.FindAsync(e => e.CopyId == id, MaxShownActions));
            return reply;
        }

        var messageId = NormalizeMessageId(id)
            ?? throw new ArgumentException("give a copy id (such as t5h2k0-3fa) or a Message-ID (such as <a@b>).");
        reply.Query = messageId;
        var actions = await _audit.FindAsync(
            e => string.Equals(NormalizeMessageId(e.MessageId), messageId, StringComparison.Ordinal), MaxShownActions);
        reply.Actions.AddRange(actions);
        var copies = await _cache.GetManyAsync(actions.Select(a => a.CopyId).Distinct(StringComparer.Ordinal));
        reply.Copies.AddRange(copies
            .OrderBy(c => c.Record.Recipient, StringComparer.Ordinal)
            .Select(c => c.ToDeliveredCopy()));
        return reply;
    }

    /// <summary>Says once per process and store kind that copies are recorded for a store nobody configured.</summary>
    private void WarnIfStoreMissing(DeliveryRecord record)
    {
        var options = _options.Value;
        var missing = record.Store switch
        {
            MailboxStoreKind.Imap when !options.Imap.IsConfigured => "Imap:Host",
            MailboxStoreKind.Jmap when !options.Jmap.IsConfigured => "Jmap:SessionUrl",
            MailboxStoreKind.Webhook when !options.Webhook.IsConfigured => "Webhook:Url",
            _ => null,
        };
        if (missing is not null && _warnedStores.TryAdd(record.Store, true))
        {
            RetroRemediationLog.StoreNotConfigured(_logger, record.Recipient, missing);
        }
    }

    private static string MailboxOf(DeliveryRecord record) =>
        EnvelopeAddress.TryParse(record.Recipient, out var address) ? address.MailboxAddress : record.Recipient;

    /// <summary>A Message-ID in angle brackets, or null when the text cannot be one.</summary>
    internal static string? NormalizeMessageId(string value)
    {
        var bare = value.Trim().TrimStart('<').TrimEnd('>');
        return bare.Length is 0 or > MaxMessageIdLength || bare.Any(c => char.IsControl(c) || char.IsWhiteSpace(c))
            || !bare.Contains('@')
            ? null
            : "<" + bare + ">";
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
        Require(record.Recipient.Length <= MaxRecipientLength && EnvelopeAddress.TryParse(record.Recipient, out _)
            && !record.Recipient.Any(char.IsControl),
            "DeliveryRecord.recipient must be an address (local@domain).");
        Require(record.Store is MailboxStoreKind.Maildir or MailboxStoreKind.Imap or MailboxStoreKind.Jmap
                or MailboxStoreKind.Webhook,
            "DeliveryRecord.store must be MAILDIR, IMAP, JMAP or WEBHOOK.");
        Require(record.Store != MailboxStoreKind.Maildir || record.Location.Length > 0,
            "DeliveryRecord.location is required for a Maildir copy.");
        Require(record.Location.Length <= MaxLocationLength && !record.Location.Contains('\0'),
            $"DeliveryRecord.location is longer than {MaxLocationLength} or holds NUL.");
        Require(record.MessageId.Length <= MaxMessageIdLength && !record.MessageId.Any(char.IsControl),
            $"DeliveryRecord.message_id is longer than {MaxMessageIdLength} or holds control characters.");
        Require(record.Folder.Length <= MaxFolderLength && !record.Folder.Any(char.IsControl),
            $"DeliveryRecord.folder is longer than {MaxFolderLength} or holds control characters.");
        Require(record.Size >= 0, "DeliveryRecord.size must not be negative.");
        Require(record.EnvelopeSender.Length <= MaxRecipientLength && record.FromDomain.Length <= 255,
            "DeliveryRecord.envelope_sender or from_domain is too long.");
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

    /// <summary>The match rule for checked fingerprints and groups (each group's components checked too).</summary>
    private static CopyMatchRule MatchRule(
        IReadOnlyCollection<string> fingerprints, IReadOnlyCollection<FingerprintGroup> groups, string field)
    {
        foreach (var group in groups)
        {
            CleanFingerprints(group.Fingerprints, field);
        }

        return new CopyMatchRule(fingerprints, groups);
    }

    private static string KindLabel(FingerprintEventKind kind) =>
        kind == FingerprintEventKind.Convicted ? "convicted" : "reversed";
}
