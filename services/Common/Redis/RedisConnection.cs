using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Gateway.Common.Redis;

/// <summary>One multiplexer per process, as StackExchange.Redis intends; connects lazily on first use.</summary>
public sealed class RedisConnection : IRedisConnection, IDisposable
{
    private readonly Lazy<ConnectionMultiplexer> _multiplexer;
    private readonly string _prefix;

    public RedisConnection(IOptions<RedisOptions> options, IRedisEndpointSource? endpointSource = null)
    {
        _prefix = options.Value.KeyPrefix;
        _multiplexer = new Lazy<ConnectionMultiplexer>(() =>
        {
            var configuration = string.IsNullOrWhiteSpace(options.Value.Configuration)
                ? endpointSource?.GetConfiguration()
                  ?? throw new InvalidOperationException("Gateway:Redis:Configuration is empty and no embedded server runs.")
                : options.Value.Configuration;
            var config = ConfigurationOptions.Parse(configuration);
            config.AbortOnConnectFail = false;
            return ConnectionMultiplexer.Connect(config);
        });
    }

    public IDatabase Database => _multiplexer.Value.GetDatabase();

    public RedisKey Key(params string[] parts) => _prefix + string.Join(':', parts);

    public void Dispose()
    {
        if (_multiplexer.IsValueCreated)
        {
            _multiplexer.Value.Dispose();
        }
    }
}
