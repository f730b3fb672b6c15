using Gateway.Common.Redis;
using Gateway.Testing;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Gateway.FingerprintFilter.Tests.Support;

/// <summary>
/// The test Redis (GATEWAY_TEST_REDIS) under a key prefix of its own, so tests never see each
/// other's keys; disposing deletes every key under the prefix.
/// </summary>
public sealed class RedisTestConnection : IRedisConnection, IAsyncDisposable
{
    private readonly RedisConnection _inner;

    public RedisTestConnection()
        : this("gwtest:fp:" + Guid.NewGuid().ToString("N")[..12] + ":")
    {
    }

    /// <summary>A second connection under an existing prefix: another node of the same gateway.</summary>
    public RedisTestConnection(string prefix)
    {
        Prefix = prefix;
        _inner = new RedisConnection(Options.Create(new RedisOptions
        {
            Configuration = TestEnvironment.Require(TestEnvironment.RedisVariable),
            KeyPrefix = Prefix,
        }));
    }

    public string Prefix { get; }

    public IDatabase Database => _inner.Database;

    public RedisKey Key(params string[] parts) => _inner.Key(parts);

    public async ValueTask DisposeAsync()
    {
        try
        {
            foreach (var server in Database.Multiplexer.GetServers())
            {
                var keys = server.Keys(Database.Database, Prefix + "*", pageSize: 500).ToArray();
                if (keys.Length > 0)
                {
                    await Database.KeyDeleteAsync(keys);
                }
            }
        }
        finally
        {
            _inner.Dispose();
        }
    }
}
