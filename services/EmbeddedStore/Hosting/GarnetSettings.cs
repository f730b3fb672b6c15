using System.Net;
using Garnet.server;
using Microsoft.Extensions.Logging;
using Tsavorite.core;

namespace Gateway.EmbeddedStore.Hosting;

/// <summary>
/// The Garnet configuration of the embedded server: loopback only, every acknowledged write durable in the
/// append-only file, state recovered at start, Lua scripts atomic, memory bounded with overflow to disk.
/// </summary>
internal static class GarnetSettings
{
    public static GarnetServerOptions Create(string stateDir, int port, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger("Options");
        return new GarnetServerOptions(logger)
        {
            // Loopback only: the store holds gateway state and has no authentication configured.
            EndPoints = [new IPEndPoint(IPAddress.Loopback, port)],
            QuietMode = true,

            // Durability. CommitFrequencyMs = 0 commits the append-only file on every operation and
            // WaitForCommit holds each reply until that commit is done, so a write the gateway saw
            // acknowledged survives a crash or SIGKILL of the process (it is in the file, not only in memory).
            EnableAOF = true,
            CommitFrequencyMs = 0,
            WaitForCommit = true,

            // Recovery: load the latest checkpoint, then replay the append-only file written after it.
            // A recovery error stops start-up instead of silently starting with an empty store.
            Recover = true,
            FailOnRecoveryError = true,
            CheckpointDir = Path.Combine(stateDir, "checkpoints"),

            // A checkpoint truncates the append-only file, which bounds both its size and the replay time
            // at the next start: take one when the file reaches AofSizeLimit, and at least every 15 minutes.
            AofSizeLimit = "128m",
            CheckpointFrequencySecs = 15 * 60,
            AofMemorySize = "32m",
            AofPageSize = "8m",
            AofSegmentSize = "64m",

            // Memory: keep at most LogMemorySize of records in memory and spill older ones to LogDir instead
            // of dropping them. Scan compaction rewrites live records so spilled segments can be deleted.
            EnableStorageTier = true,
            LogDir = Path.Combine(stateDir, "data"),
            LogMemorySize = "256m",
            PageSize = "4m",
            SegmentSize = "256m",
            ObjectLogSegmentSize = "256m",
            IndexMemorySize = "16m",
            IndexMaxMemorySize = "512m",
            CompactionType = LogCompactionType.Scan,
            CompactionFrequencySecs = 10 * 60,
            CompactionMaxSegments = 4,

            // Expired keys (leases, counters) are otherwise only removed when touched again.
            ExpiredKeyDeletionScanFrequencySecs = 60,

            // The .NET RandomAccess device works on every platform; Garnet's native Linux device needs libaio,
            // which a fresh machine may not have.
            DeviceType = DeviceType.RandomAccess,

            // Tiers rely on Lua scripts being atomic, as they are on Redis. Garnet only guarantees that when
            // scripts run as transactions (keys locked for the duration of the script).
            EnableLua = true,
            LuaTransactionMode = true,
            LuaOptions = new LuaOptions(logger),
        };
    }
}
