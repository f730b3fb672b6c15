using System.Buffers.Binary;
using Garnet.server;
using Microsoft.Extensions.Logging;

namespace Gateway.EmbeddedStore.Recovery;

/// <summary>
/// Closes transactions left open in the append-only file by a crash, before Garnet replays the file.
/// </summary>
/// <remarks>
/// <para>
/// Garnet logs a transaction (MULTI/EXEC) as one group when it executes: a start marker (<c>TxnStart</c>), the
/// writes, then a commit marker (<c>TxnCommit</c>); with a commit per write each record reaches the disk as it is
/// appended, and the client's reply waits for the commit marker's. A SIGKILL inside that group leaves the start and
/// maybe some writes in the file with no end. Replay groups records by session id and applies a group at its
/// commit, and a group still open when the file ends is dropped, so that tail alone is harmless. But session ids
/// start again from the same small numbers in the next process, whose records follow the tail: replay then folds
/// that session's later writes into the never-ending group (silently dropping acknowledged writes), and its next
/// transaction's start marker fails the whole replay with "No nested transactions expected".
/// </para>
/// <para>
/// Before Garnet opens the file, the repair moves every transaction still open at its end to a session id no live
/// session ever gets (negative), by rewriting the id in those records in place. The group then stays open to the end
/// of every replay and is dropped, exactly as at the first restart, and nothing after it can join it. (Appending an
/// abort marker would be the natural fix, but Garnet 2.2.12's replay fails with a NullReferenceException on an abort
/// in a single-log file.) Nothing acknowledged is lost: the group's reply was never sent, since it waits for the
/// commit marker, and no other client read its writes, whose keys stay locked until then.
/// </para>
/// </remarks>
internal static class UnfinishedTransactionRepair
{
    // Garnet's record header (AofHeader, internal to Garnet 2.2.12): version, flags, operation type,
    // procedure id, store version (8 bytes), session id (4 bytes, little-endian).
    private const int HeaderLength = 16;
    private const int OpTypeOffset = 2;
    private const int SessionIdOffset = 12;

    // Live sessions have positive ids; ids at or below this one mark transactions this repair closed.
    private const int ClosedSessionIdLimit = int.MinValue / 2;

    /// <summary>
    /// Scans the database's append-only file and closes every transaction it leaves open (see the remarks).
    /// Returns those transactions (empty when there is no file or nothing to close).
    /// </summary>
    /// <exception cref="StoreRecoveryException">The file is already unreplayable (a session starts a transaction
    /// while an earlier one of the same session is still open), or its bytes are not where the log says.</exception>
    public static IReadOnlyList<UnfinishedTransaction> CloseUnfinished(
        GarnetServerOptions options, int databaseId, ILogger logger)
    {
        List<UnfinishedTransaction> unfinished;
        var nextClosedId = int.MinValue;
        var located = new List<(string Path, long Offset, byte[] Entry)>();
        using (var file = AppendOnlyFile.OpenExisting(options, databaseId, logger))
        {
            if (file is null)
            {
                return [];
            }

            (unfinished, var lastClosedId) = FindUnfinished(file);
            if (lastClosedId is { } last)
            {
                nextClosedId = last + 1;
            }

            foreach (var (address, entry) in unfinished.SelectMany(t => t.Entries))
            {
                var (path, offset) = file.Locate(address);
                located.Add((path, offset, entry));
            }
        }

        // The log is closed now; rewrite each record's session id in place, one transaction id at a time.
        var index = 0;
        foreach (var transaction in unfinished)
        {
            var closedId = nextClosedId++;
            for (var i = 0; i < transaction.Entries.Count; i++, index++)
            {
                var (path, offset, entry) = located[index];
                Rewrite(path, offset, entry, closedId);
            }
        }

        return unfinished;
    }

    private static (List<UnfinishedTransaction> Unfinished, int? LastClosedId) FindUnfinished(AppendOnlyFile file)
    {
        var open = new Dictionary<int, UnfinishedTransaction>();
        int? lastClosedId = null;
        foreach (var (entry, address) in file.ReadAll())
        {
            if (entry.Length < HeaderLength)
            {
                continue;
            }

            var sessionId = BinaryPrimitives.ReadInt32LittleEndian(entry.AsSpan(SessionIdOffset, sizeof(int)));
            if (sessionId <= ClosedSessionIdLimit)
            {
                // Closed by an earlier start; it stays open for ever, by design.
                lastClosedId = Math.Max(lastClosedId ?? int.MinValue, sessionId);
                continue;
            }

            switch ((AofEntryType)entry[OpTypeOffset])
            {
                case AofEntryType.TxnStart when open.TryGetValue(sessionId, out var earlier):
                    throw new StoreRecoveryException(
                        $"The embedded store's append-only file in {file.Directory} cannot be replayed: session " +
                        $"{sessionId} starts a transaction at address {address} while its transaction from " +
                        $"address {earlier.StartAddress} was never ended (a crash inside a transaction, written by " +
                        "a gateway version that did not close it at the next start).");
                case AofEntryType.TxnStart:
                    open[sessionId] = new UnfinishedTransaction(sessionId, [(address, entry)]);
                    break;
                case AofEntryType.TxnCommit or AofEntryType.TxnAbort:
                    open.Remove(sessionId);
                    break;
                default:
                    if (open.TryGetValue(sessionId, out var transaction))
                    {
                        transaction.Entries.Add((address, entry));
                    }

                    break;
            }
        }

        return ([.. open.Values.OrderBy(t => t.StartAddress)], lastClosedId);
    }

    /// <summary>Replaces the session id of one record, after checking the bytes there are that record.</summary>
    private static void Rewrite(string path, long offset, byte[] entry, int sessionId)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read);
        var onDisk = new byte[entry.Length];
        stream.Position = offset;
        stream.ReadExactly(onDisk);
        if (!onDisk.AsSpan().SequenceEqual(entry))
        {
            throw new StoreRecoveryException(
                $"The append-only file {path} does not hold the expected record at offset {offset}; left unchanged.");
        }

        Span<byte> id = stackalloc byte[sizeof(int)];
        BinaryPrimitives.WriteInt32LittleEndian(id, sessionId);
        stream.Position = offset + SessionIdOffset;
        stream.Write(id);
        stream.Flush(flushToDisk: true);
    }
}
