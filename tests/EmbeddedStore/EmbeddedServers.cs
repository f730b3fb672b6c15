using Gateway.Common.Configuration;
using Gateway.EmbeddedStore.Configuration;
using Gateway.EmbeddedStore.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Gateway.EmbeddedStore.Tests;

internal static class EmbeddedServers
{
    public static EmbeddedRedisServer Create(string dataDir, int port = 0, ILoggerFactory? loggers = null) =>
        new(
            Options.Create(new GatewayOptions { DataDir = dataDir }),
            Options.Create(new EmbeddedRedisOptions { EmbeddedPort = port }),
            loggers ?? NullLoggerFactory.Instance);

    public static async Task<EmbeddedRedisServer> StartAsync(
        string dataDir, int port = 0, ILoggerFactory? loggers = null)
    {
        var server = Create(dataDir, port, loggers);
        await server.StartAsync(CancellationToken.None);
        return server;
    }

    public static Task<ConnectionMultiplexer> ConnectAsync(EmbeddedRedisServer server)
    {
        var options = ConfigurationOptions.Parse(server.GetConfiguration());
        options.AllowAdmin = true;
        return ConnectionMultiplexer.ConnectAsync(options);
    }
}
