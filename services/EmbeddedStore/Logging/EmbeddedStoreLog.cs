using Microsoft.Extensions.Logging;

namespace Gateway.EmbeddedStore.Logging;

/// <summary>Log events of the embedded Redis-protocol server. Event names are a contract once shipped.</summary>
internal static partial class EmbeddedStoreLog
{
    [LoggerMessage(EventId = 1, EventName = "EmbeddedRedisStarted", Level = LogLevel.Information,
        Message = "Embedded Redis-protocol server listening on {Endpoint}, state in {StateDir}, "
                  + "ready in {ElapsedMs} ms")]
    public static partial void Started(ILogger logger, string endpoint, string stateDir, long elapsedMs);

    [LoggerMessage(EventId = 2, EventName = "EmbeddedRedisPortTaken", Level = LogLevel.Warning,
        Message = "Port {Port} was taken before the embedded server could bind it (attempt {Attempt}); trying another")]
    public static partial void PortTaken(ILogger logger, int port, int attempt);

    [LoggerMessage(EventId = 3, EventName = "EmbeddedRedisStopping", Level = LogLevel.Information,
        Message = "Embedded Redis-protocol server stopping: committing the append-only file and taking a checkpoint")]
    public static partial void Stopping(ILogger logger);

    [LoggerMessage(EventId = 4, EventName = "EmbeddedRedisCheckpointFailed", Level = LogLevel.Warning,
        Message = "Checkpoint at shutdown ended with {Status}; the append-only file still holds every write")]
    public static partial void CheckpointNotTaken(ILogger logger, string status);

    [LoggerMessage(EventId = 5, EventName = "EmbeddedRedisShutdownError", Level = LogLevel.Warning,
        Message = "Graceful shutdown of the embedded server failed; "
                  + "recovery at next start replays the append-only file")]
    public static partial void ShutdownFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 6, EventName = "EmbeddedRedisStopped", Level = LogLevel.Information,
        Message = "Embedded Redis-protocol server stopped in {ElapsedMs} ms")]
    public static partial void Stopped(ILogger logger, long elapsedMs);

    [LoggerMessage(EventId = 7, EventName = "EmbeddedRedisAbandoned", Level = LogLevel.Warning,
        Message = "Embedded Redis-protocol server disposed without a graceful stop; "
                  + "the next start recovers from the append-only file")]
    public static partial void DisposedWithoutStop(ILogger logger);

    [LoggerMessage(EventId = 8, EventName = "EmbeddedRedisRestarting", Level = LogLevel.Warning,
        Message = "Embedded Redis-protocol server on {EndPoint} stopped taking writes (append-only file commit "
                  + "failed, e.g. a full disk) and there is room again: restarting it in-process with recovery")]
    public static partial void Restarting(ILogger logger, string endPoint);

    [LoggerMessage(EventId = 9, EventName = "EmbeddedRedisRestarted", Level = LogLevel.Information,
        Message = "Embedded Redis-protocol server restarted on {EndPoint} in {ElapsedMs} ms")]
    public static partial void Restarted(ILogger logger, string endPoint, long elapsedMs);

    [LoggerMessage(EventId = 10, EventName = "EmbeddedRedisRestartFailed", Level = LogLevel.Critical,
        Message = "Embedded Redis-protocol server could not be restarted; "
                  + "the store is down until the process restarts")]
    public static partial void RestartFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 11, EventName = "EmbeddedRedisUnfinishedTransactionsClosed", Level = LogLevel.Warning,
        Message = "The append-only file in {Directory} holds {Count} transaction(s) a crash left unfinished (never "
                  + "acknowledged): closed them so replay drops their {Writes} write(s) and keeps every later record; "
                  + "session@start address: {Transactions}")]
    public static partial void UnfinishedTransactionsClosed(
        ILogger logger, string directory, int count, int writes, string transactions);

    [LoggerMessage(EventId = 12, EventName = "EmbeddedRedisRecoveryFailed", Level = LogLevel.Critical,
        Message = "The embedded store could not recover its state: {Reason}")]
    public static partial void RecoveryFailed(ILogger logger, string reason, Exception exception);
}
