using Garnet.server;
using Microsoft.Extensions.Logging;
using Tsavorite.core;

namespace Gateway.EmbeddedStore.Recovery;

/// <summary>
/// A database's append-only file opened outside a running server, through Garnet's own settings and Tsavorite's
/// log, so records are read and appended in exactly the format and place Garnet uses. Only while no server runs.
/// </summary>
internal sealed class AppendOnlyFile : IDisposable
{
    // Waits for pages of the log to be read from disk; a log nobody else writes needs few. Bounds the scan loop.
    private const int MaxIdleWaits = 10_000;

    private readonly SingleLog _log;
    private readonly ILogCommitManager _commits;
    private readonly int _segmentSizeBits;
    private readonly int _entryHeaderSize;

    private AppendOnlyFile(SingleLog log, ILogCommitManager commits, string directory, int segmentSizeBits)
    {
        _log = log;
        _commits = commits;
        Directory = directory;
        _segmentSizeBits = segmentSizeBits;
        _entryHeaderSize = log.log.HeaderSize;
    }

    /// <summary>Where the file's segments and commit records are.</summary>
    public string Directory { get; }

    /// <summary>Opens and recovers the file; null when the database has none yet.</summary>
    public static AppendOnlyFile? OpenExisting(GarnetServerOptions options, int databaseId, ILogger logger)
    {
        var directory = options.GetAppendOnlyFileDirectory(databaseId);
        if (!System.IO.Directory.Exists(directory) || !System.IO.Directory.EnumerateFiles(directory, "aof.*").Any())
        {
            return null;
        }

        // Garnet fills this in when the server is built; the file must be opened through the same kind of device.
        options.DeviceFactoryCreator ??= new LocalStorageNamedDeviceFactoryCreator(
            deviceType: options.DeviceType, logger: logger);
        options.GetAofSettings(databaseId, out var settings);
        if (settings.Length != 1)
        {
            throw new NotSupportedException("Only a single append-only file per database is supported.");
        }

        var log = new SingleLog(settings[0], logger);
        var file = new AppendOnlyFile(log, settings[0].LogCommitManager, directory, options.AofSegmentSizeBits());
        try
        {
            log.RecoverAsync().AsTask().GetAwaiter().GetResult();
            return file;
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>Every record from the start of the file to its last commit, with its log address.</summary>
    public IEnumerable<(byte[] Entry, long Address)> ReadAll()
    {
        var log = _log.log;
        using var iterator = log.Scan(log.BeginAddress, log.CommittedUntilAddress, recover: false);
        var idleWaits = 0;
        while (true)
        {
            if (iterator.GetNext(out byte[] entry, out var length, out var address, out _))
            {
                yield return (length == entry.Length ? entry : entry[..length], address);
                continue;
            }

            if (++idleWaits > MaxIdleWaits)
            {
                throw new StoreRecoveryException(
                    $"Reading the append-only file in {Directory} made no progress at address {iterator.NextAddress}.");
            }

            if (!iterator.WaitAsync().AsTask().GetAwaiter().GetResult())
            {
                yield break;
            }
        }
    }

    /// <summary>Appends one record and waits until it is committed to disk.</summary>
    public long Append(ReadOnlySpan<byte> entry) => _log.log.EnqueueAndWaitForCommit(entry);

    /// <summary>
    /// Where the entry at a log address starts in the segment files: Tsavorite writes page after page into
    /// segments of a fixed size (<c>aof.log.N</c>), each entry behind a length prefix (no checksum is configured).
    /// Still valid after <see cref="Dispose"/>, when the files can be edited.
    /// </summary>
    public (string Path, long Offset) Locate(long address) =>
        (Path.Combine(Directory, $"aof.log.{address >> _segmentSizeBits}"),
            (address & ((1L << _segmentSizeBits) - 1)) + _entryHeaderSize);

    public void Dispose()
    {
        _log.Dispose();
        _commits.Dispose();
    }
}
