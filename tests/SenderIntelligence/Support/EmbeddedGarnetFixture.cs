using Gateway.Common.Configuration;
using Gateway.EmbeddedStore.Configuration;
using Gateway.EmbeddedStore.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Xunit;

namespace Gateway.SenderIntelligence.Tests.Support;

/// <summary>One embedded Garnet (as the standalone gateway runs it) per test class, in a temp directory.</summary>
public sealed class EmbeddedGarnetFixture : IAsyncLifetime
{
    private readonly string _dataDir =
        Path.Combine(Path.GetTempPath(), "gw-sender-garnet-" + Guid.NewGuid().ToString("N"));

    private EmbeddedRedisServer? _server;

    public string Configuration => _server!.GetConfiguration();

    public async Task InitializeAsync()
    {
        _server = new EmbeddedRedisServer(
            Options.Create(new GatewayOptions { DataDir = _dataDir }),
            Options.Create(new EmbeddedRedisOptions()),
            NullLoggerFactory.Instance);
        await _server.StartAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.StopAsync(CancellationToken.None);
            _server.Dispose();
        }

        try
        {
            Directory.Delete(_dataDir, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS to clean with the rest of the temp folder.
        }
    }
}
