namespace Gateway.Common.Redis;

/// <summary>Supplies a Redis configuration string when none is configured (the embedded server does).</summary>
public interface IRedisEndpointSource
{
    string GetConfiguration();
}
