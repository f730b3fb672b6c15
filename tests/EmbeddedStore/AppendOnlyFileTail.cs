using Garnet.server;
using Gateway.EmbeddedStore.Hosting;
using Gateway.EmbeddedStore.Recovery;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gateway.EmbeddedStore.Tests;

/// <summary>
/// Leaves an append-only file as a SIGKILL does when it lands while Garnet logs a transaction: the start
/// marker and the writes are on disk, the commit marker is not. The records are ones Garnet itself wrote.
/// </summary>
internal static class AppendOnlyFileTail
{
    /// <summary>
    /// Appends the start marker and the writes of the file's last committed transaction again, without its
    /// commit marker, <paramref name="times"/> times. Call only while no server runs on the directory.
    /// </summary>
    /// <returns>The session id of the unfinished transaction.</returns>
    public static int AppendUnfinishedCopyOfLastTransaction(string dataDir, int times = 1)
    {
        var options = GarnetSettings.Create(Path.Combine(dataDir, "state"), 0, NullLoggerFactory.Instance);
        using var file = AppendOnlyFile.OpenExisting(options, 0, NullLogger.Instance)
            ?? throw new InvalidOperationException("No append-only file under " + dataDir);
        var entries = file.ReadAll().Select(e => e.Entry).ToList();

        var commit = entries.FindLastIndex(e => OpType(e) == AofEntryType.TxnCommit);
        if (commit < 0)
        {
            throw new InvalidOperationException("The file holds no transaction to copy.");
        }

        var session = SessionId(entries[commit]);
        var start = entries.FindLastIndex(commit, e => OpType(e) == AofEntryType.TxnStart && SessionId(e) == session);
        var unfinished = entries.Skip(start).Take(commit - start).Where(e => SessionId(e) == session).ToList();
        for (var i = 0; i < times; i++)
        {
            foreach (var entry in unfinished)
            {
                file.Append(entry);
            }
        }

        return session;
    }

    private static AofEntryType OpType(byte[] entry) => (AofEntryType)entry[2];

    private static int SessionId(byte[] entry) => BitConverter.ToInt32(entry, 12);
}
