using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Common.Configuration;
using Gateway.V1;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gateway.MtaEdge.Queue;

/// <summary>
/// The durable queue on the local file system, under <c>&lt;DataDir&gt;/spool/</c>:
/// <list type="bullet">
/// <item><c>queue/&lt;id&gt;.eml</c> the content and <c>queue/&lt;id&gt;.json</c> the envelope
/// (<see cref="QueuedMessage"/>); a message is queued exactly when its envelope is there;</item>
/// <item><c>tmp/</c> files being written, never trusted after a restart;</item>
/// <item><c>corrupt/</c> envelopes that could not be read, with an <c>.error.txt</c> beside each,
/// kept for an operator.</item>
/// </list>
/// Envelopes are also held in memory; content is read from disk for each attempt.
/// </summary>
public sealed class FileMessageSpool : IMessageSpool, IQueueInspector
{
    public const string DirectoryName = "spool";

    private const string ContentExtension = ".eml";
    private const string EnvelopeExtension = ".json";
    private const int MaxQueueIdLength = 64;

    private readonly ConcurrentDictionary<string, QueuedMessage> _messages = new(StringComparer.Ordinal);
    private readonly IDeliveryScheduler _scheduler;
    private readonly TimeProvider _time;
    private readonly ILogger<FileMessageSpool> _logger;
    private readonly Lazy<Task> _recovery;
    private long _tmpCounter;

    public FileMessageSpool(
        IOptions<GatewayOptions> options,
        IDeliveryScheduler scheduler,
        ILogger<FileMessageSpool> logger,
        TimeProvider? time = null)
    {
        SpoolDirectory = Path.Combine(options.Value.FullDataDir, DirectoryName);
        QueueDirectory = Path.Combine(SpoolDirectory, "queue");
        TmpDirectory = Path.Combine(SpoolDirectory, "tmp");
        CorruptDirectory = Path.Combine(SpoolDirectory, "corrupt");
        _scheduler = scheduler;
        _logger = logger;
        _time = time ?? TimeProvider.System;
        _recovery = new Lazy<Task>(() => Task.Run(Recover), LazyThreadSafetyMode.ExecutionAndPublication);
        QueueMetrics.Track(this);
    }

    public string SpoolDirectory { get; }

    public string QueueDirectory { get; }

    public string TmpDirectory { get; }

    public string CorruptDirectory { get; }

    /// <summary>The queued messages (live objects; the delivery worker updates them in place).</summary>
    public ICollection<QueuedMessage> Messages => _messages.Values;

    public string NewQueueId() => QueueIdGenerator.Next();

    /// <summary>
    /// Loads what a previous run left queued. Runs once; every other entry point waits for it, so a
    /// message being stored can never be mistaken for a leftover. Fails only when the spool folders
    /// cannot be created or listed (the host then refuses to start with that error).
    /// </summary>
    public Task EnsureRecoveredAsync(CancellationToken cancellationToken) =>
        _recovery.Value.WaitAsync(cancellationToken);

    public async Task StoreAsync(
        QueuedMessage message, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (!IsSafeQueueId(message.QueueId))
        {
            throw new ArgumentException($"Queue id '{message.QueueId}' is not usable as a file name.", nameof(message));
        }

        if (message.Recipients is not { Count: > 0 } || message.Recipients.Any(r => string.IsNullOrEmpty(r?.Address)))
        {
            throw new ArgumentException("A queued message needs at least one recipient address.", nameof(message));
        }

        await EnsureRecoveredAsync(cancellationToken);

        var id = message.QueueId;
        if (_messages.ContainsKey(id))
        {
            throw new InvalidOperationException($"Queue id {id} is already queued.");
        }

        message.Size = content.Length;
        if (message.NextAttemptAt == default)
        {
            message.NextAttemptAt = _time.GetUtcNow();
        }

        var envelope = JsonSerializer.SerializeToUtf8Bytes(message, SpoolJsonContext.Default.QueuedMessage);
        if (message.ReceivedAt == default)
        {
            // The queue lifetime counts from arrival; a caller that left it out means "now".
            var node = JsonNode.Parse(envelope)!;
            node[nameof(QueuedMessage.ReceivedAt)] = _time.GetUtcNow();
            envelope = Encoding.UTF8.GetBytes(node.ToJsonString(SpoolJsonContext.Default.Options));
        }

        var tmpContent = Path.Combine(TmpDirectory, id + ContentExtension);
        var tmpEnvelope = Path.Combine(TmpDirectory, id + EnvelopeExtension);
        var queuedContent = ContentPath(id);
        var queuedEnvelope = EnvelopePath(id);
        var contentStaged = false;
        var envelopeStaged = false;
        var contentMoved = false;
        var envelopeMoved = false;
        try
        {
            // Both files are complete and on disk before either name appears in queue/. They are
            // written and flushed side by side: the file system can commit both flushes in one
            // journal transaction, so the client waits for one disk round trip here, not two.
            var writeContent = Task.Run(
                async () =>
                {
                    await WriteDurablyAsync(tmpContent, content, cancellationToken);
                    contentStaged = true;
                },
                CancellationToken.None);
            var writeEnvelope = Task.Run(
                async () =>
                {
                    await WriteDurablyAsync(tmpEnvelope, envelope, cancellationToken);
                    envelopeStaged = true;
                },
                CancellationToken.None);
            await Task.WhenAll(writeContent, writeEnvelope);

            // Envelope last: after a crash between the two renames, recovery finds content without
            // an envelope, which was never acknowledged, and removes it.
            File.Move(tmpContent, queuedContent, overwrite: false);
            contentMoved = true;
            File.Move(tmpEnvelope, queuedEnvelope, overwrite: false);
            envelopeMoved = true;
            DirectorySync.Flush(QueueDirectory);
        }
        catch (Exception exception)
        {
            SpoolLog.StoreFailed(_logger, id, exception);

            // The client hears 4xx and sends again, so nothing of this attempt may stay queued.
            // Only what this call put in place is removed (a clashing id must not take another's files).
            if (contentStaged && !contentMoved)
            {
                TryDelete(tmpContent);
            }

            if (envelopeStaged && !envelopeMoved)
            {
                TryDelete(tmpEnvelope);
            }

            if (envelopeMoved)
            {
                TryDelete(queuedEnvelope);
            }

            if (contentMoved)
            {
                TryDelete(queuedContent);
            }

            throw;
        }

        // Keep our own copy: the caller's object is theirs, and this proves the envelope reads back.
        var queued = Deserialize(envelope);
        _messages[id] = queued;
        SpoolLog.Stored(_logger, id, queued.Recipients.Count, queued.Size);
        _scheduler.Schedule(id, queued.NextAttemptAt);
    }

    /// <summary>The queued message with this id, or null when it is not (or no longer) queued.</summary>
    public QueuedMessage? Find(string queueId) => _messages.GetValueOrDefault(queueId);

    /// <summary>Reads the content exactly as stored.</summary>
    /// <exception cref="FileNotFoundException">The content file is gone.</exception>
    public Task<byte[]> ReadContentAsync(string queueId, CancellationToken cancellationToken) =>
        File.ReadAllBytesAsync(ContentPath(queueId), cancellationToken);

    /// <summary>
    /// Replaces the stored envelope with the message's current state, atomically: the file on disk
    /// is either the old or the new envelope, never a mix (write to tmp, fsync, rename over it).
    /// </summary>
    public async Task SaveAsync(QueuedMessage message, CancellationToken cancellationToken)
    {
        if (!_messages.ContainsKey(message.QueueId))
        {
            throw new InvalidOperationException($"{message.QueueId} is not queued.");
        }

        var envelope = JsonSerializer.SerializeToUtf8Bytes(message, SpoolJsonContext.Default.QueuedMessage);
        var tmp = Path.Combine(
            TmpDirectory, $"{message.QueueId}.{Interlocked.Increment(ref _tmpCounter)}{EnvelopeExtension}");
        await WriteDurablyAsync(tmp, envelope, cancellationToken);
        try
        {
            File.Move(tmp, EnvelopePath(message.QueueId), overwrite: true);
        }
        catch
        {
            TryDelete(tmp);
            throw;
        }

        DirectorySync.Flush(QueueDirectory);
    }

    /// <summary>
    /// Takes a finished message (delivered or failed for good) out of the queue. The envelope goes
    /// first, so a crash half-way leaves only content, which recovery removes. The directory is not
    /// synced: if a crash loses the removal, the next start delivers the message again, which
    /// at-least-once delivery allows, and every message saves one disk flush.
    /// </summary>
    public void Remove(string queueId)
    {
        File.Delete(EnvelopePath(queueId));
        File.Delete(ContentPath(queueId));
        _messages.TryRemove(queueId, out _);
        SpoolLog.Removed(_logger, queueId);
    }

    /// <summary>Moves an unusable entry to corrupt/ with the reason beside it, out of the queue.</summary>
    public void SetAside(string queueId, string reason)
    {
        _messages.TryRemove(queueId, out _);
        Directory.CreateDirectory(CorruptDirectory);
        MoveAside(EnvelopePath(queueId));
        MoveAside(ContentPath(queueId));
        var errorFile = Path.Combine(CorruptDirectory, queueId + ".error.txt");
        File.AppendAllText(errorFile, $"{_time.GetUtcNow():O} {reason}{Environment.NewLine}", Encoding.UTF8);
        DirectorySync.Flush(CorruptDirectory);
        DirectorySync.Flush(QueueDirectory);
        SpoolLog.CorruptEnvelope(_logger, queueId, CorruptDirectory, reason);
    }

    public QueueStatus GetStatus()
    {
        var now = _time.GetUtcNow();
        var status = new QueueStatus();
        DateTimeOffset? oldest = null;
        foreach (var message in _messages.Values)
        {
            status.Messages++;
            status.RecipientsPending += message.PendingRecipients.Count();
            if (oldest is null || message.ReceivedAt < oldest)
            {
                oldest = message.ReceivedAt;
            }
        }

        status.OldestAgeSeconds = oldest is { } o ? Math.Max(0, (long)(now - o).TotalSeconds) : 0;
        return status;
    }

    /// <summary>Letters, digits, '-' and '_' only: never a path, never hidden, never empty.</summary>
    public static bool IsSafeQueueId(string? queueId) =>
        !string.IsNullOrEmpty(queueId)
        && queueId.Length <= MaxQueueIdLength
        && queueId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    private string ContentPath(string queueId) => Path.Combine(QueueDirectory, queueId + ContentExtension);

    private string EnvelopePath(string queueId) => Path.Combine(QueueDirectory, queueId + EnvelopeExtension);

    private void Recover()
    {
        Directory.CreateDirectory(QueueDirectory);
        Directory.CreateDirectory(TmpDirectory);
        Directory.CreateDirectory(CorruptDirectory);
        DirectorySync.Flush(SpoolDirectory);

        var removed = 0;
        var corrupt = 0;

        // Step 1: tmp/ holds only what was being written when the last run stopped. Stores in there
        // were never acknowledged and envelope updates there never replaced the real envelope.
        foreach (var entry in new DirectoryInfo(TmpDirectory).EnumerateFileSystemInfos())
        {
            try
            {
                if (entry is DirectoryInfo directory)
                {
                    directory.Delete(recursive: true);
                }
                else
                {
                    entry.Delete();
                }

                SpoolLog.OrphanRemoved(_logger, entry.FullName);
                removed++;
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                SpoolLog.RecoveryEntryFailed(_logger, entry.FullName, exception);
            }
        }

        // Step 2: content without an envelope was cut off between the two renames of a store.
        foreach (var content in Directory.EnumerateFiles(QueueDirectory, "*" + ContentExtension))
        {
            var id = Path.GetFileNameWithoutExtension(content);
            if (File.Exists(EnvelopePath(id)))
            {
                continue;
            }

            try
            {
                File.Delete(content);
                SpoolLog.OrphanRemoved(_logger, content);
                removed++;
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                SpoolLog.RecoveryEntryFailed(_logger, content, exception);
            }
        }

        // Step 3: every envelope is a message the client was told we have.
        foreach (var envelopeFile in Directory.EnumerateFiles(QueueDirectory, "*" + EnvelopeExtension))
        {
            var id = Path.GetFileNameWithoutExtension(envelopeFile);
            try
            {
                var problem = Load(id, out var message);
                if (problem is not null)
                {
                    SetAside(id, problem);
                    corrupt++;
                }
                else if (!message!.PendingRecipients.Any())
                {
                    // Finished, but the last run stopped before it could remove it.
                    Remove(id);
                }
                else
                {
                    _messages[id] = message;
                    _scheduler.Schedule(id, message.NextAttemptAt);
                }
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                SpoolLog.RecoveryEntryFailed(_logger, envelopeFile, exception);
            }
        }

        DirectorySync.Flush(TmpDirectory);
        DirectorySync.Flush(QueueDirectory);
        SpoolLog.Recovered(_logger, SpoolDirectory, _messages.Count, removed, corrupt);
    }

    /// <summary>Reads and checks one entry; returns why it is unusable, or null with the message.</summary>
    private string? Load(string id, out QueuedMessage? message)
    {
        message = null;
        if (!IsSafeQueueId(id))
        {
            return "the file name is not a queue id";
        }

        QueuedMessage? parsed;
        try
        {
            parsed = Deserialize(File.ReadAllBytes(EnvelopePath(id)));
        }
        catch (Exception exception) when (exception is not (IOException or UnauthorizedAccessException))
        {
            // Whatever the parser makes of a damaged file, it is that entry's problem, never the start's.
            return "the envelope is not valid JSON for a queued message: " + exception.Message;
        }

        if (parsed.QueueId != id)
        {
            return $"the envelope names queue id '{parsed.QueueId}'";
        }

        if (parsed.Recipients is not { Count: > 0 } || parsed.Recipients.Any(r => string.IsNullOrEmpty(r?.Address)))
        {
            return "the envelope has no usable recipient list";
        }

        var content = new FileInfo(ContentPath(id));
        if (!content.Exists)
        {
            return "the content file is missing";
        }

        if (content.Length != parsed.Size)
        {
            return $"the content is {content.Length} octets, the envelope says {parsed.Size}";
        }

        message = parsed;
        return null;
    }

    private static QueuedMessage Deserialize(byte[] envelope) =>
        JsonSerializer.Deserialize(envelope, SpoolJsonContext.Default.QueuedMessage)
        ?? throw new JsonException("the envelope is JSON null");

    private static async Task WriteDurablyAsync(
        string path, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.None,
            BufferSize = 0,
        };
        var stream = new FileStream(path, options);
        try
        {
            await stream.WriteAsync(data, cancellationToken);
            stream.Flush(flushToDisk: true);
            await stream.DisposeAsync();
        }
        catch
        {
            // The file is ours (CreateNew); a half-written one must not linger.
            await stream.DisposeAsync();
            TryDelete(path);
            throw;
        }
    }

    private void MoveAside(string path)
    {
        if (!File.Exists(path))
        {
            return;
        }

        var target = Path.Combine(CorruptDirectory, Path.GetFileName(path));
        if (File.Exists(target))
        {
            target = Path.Combine(
                CorruptDirectory,
                $"{Path.GetFileNameWithoutExtension(path)}.{_time.GetUtcNow().UtcTicks}{Path.GetExtension(path)}");
        }

        File.Move(path, target, overwrite: false);
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // Best effort while already failing; recovery removes what is left in tmp/.
        }
    }
}
