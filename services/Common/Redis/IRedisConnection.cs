using StackExchange.Redis;

namespace Gateway.Common.Redis;

/// <summary>The shared Redis connection and the key prefix every tier writes under.</summary>
public interface IRedisConnection
{
    IDatabase Database { get; }

    /// <summary>Builds a key under the configured prefix, e.g. <c>Key("fp", hash)</c> -> <c>gw:fp:hash</c>.</summary>
    RedisKey Key(params string[] parts);
}
