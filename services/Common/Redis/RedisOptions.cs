namespace Gateway.Common.Redis;

/// <summary>Where the shared state (counters, fingerprints, delivered-mail cache) lives.</summary>
public sealed class RedisOptions
{
    public const string SectionName = "Gateway:Redis";

    /// <summary>
    /// A StackExchange.Redis configuration string (e.g. <c>127.0.0.1:6379</c>). Empty in standalone
    /// means: start the embedded Redis-protocol server under DataDir and connect to it.
    /// </summary>
    public string Configuration { get; set; } = "";

    /// <summary>Prefix of every key this gateway writes, so several gateways can share a server.</summary>
    public string KeyPrefix { get; set; } = "gw:";
}
