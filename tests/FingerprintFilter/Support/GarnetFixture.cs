using System.Net;
using Garnet;
using Garnet.server;
using Gateway.Common.Redis;
using Gateway.Testing;
using Microsoft.Extensions.Options;
using Xunit;

namespace Gateway.FingerprintFilter.Tests.Support;

/// <summary>
/// Microsoft Garnet in this process on 127.0.0.1 (memory only), the Redis-protocol server the standalone
/// gateway embeds: the stores must behave on it as on Redis.
/// </summary>
public sealed class GarnetFixture : IDisposable
{
    private readonly GarnetServer _server;

    public GarnetFixture()
    {
        Port = FreePort.Next();
        _server = new GarnetServer(new GarnetServerOptions
        {
            EndPoints = [new IPEndPoint(IPAddress.Loopback, Port)],
            QuietMode = true,
        });
        _server.Start();
    }

    public int Port { get; }

    /// <summary>A connection under a fresh key prefix (or <paramref name="prefix"/>: another node).</summary>
    public RedisConnection Connect(string? prefix = null) => new(Options.Create(new RedisOptions
    {
        Configuration = $"127.0.0.1:{Port}",
        KeyPrefix = prefix ?? "gwtest:" + Guid.NewGuid().ToString("N")[..8] + ":",
    }));

    public void Dispose() => _server.Dispose();
}

[CollectionDefinition(Name)]
public sealed class GarnetCollection : ICollectionFixture<GarnetFixture>
{
    public const string Name = "garnet";
}
