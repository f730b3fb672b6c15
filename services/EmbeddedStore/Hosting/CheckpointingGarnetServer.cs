using Garnet;
using Garnet.server;
using Microsoft.Extensions.Logging;

namespace Gateway.EmbeddedStore.Hosting;

/// <summary>A Garnet server that can also take a checkpoint on demand (the public API cannot).</summary>
internal sealed class CheckpointingGarnetServer : GarnetServer
{
    private readonly ILogger _logger;

    public CheckpointingGarnetServer(GarnetServerOptions options, ILoggerFactory loggers)
        : base(options, loggers, servers: null, cleanupDir: false)
    {
        _logger = loggers.CreateLogger("Checkpoint");
    }

    /// <summary>Takes a checkpoint of every database and waits for it to finish.</summary>
    public Task<CheckpointStatus> CheckpointAsync(CancellationToken cancellationToken) =>
        storeWrapper.TakeCheckpointAsync(background: false, dbId: -1, cancellationToken, _logger);
}
