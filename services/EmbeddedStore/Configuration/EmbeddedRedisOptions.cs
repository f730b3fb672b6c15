using System.ComponentModel.DataAnnotations;

namespace Gateway.EmbeddedStore.Configuration;

/// <summary>
/// Settings of the embedded Redis-protocol server, read from the same <c>Gateway:Redis</c> section as
/// <see cref="Gateway.Common.Redis.RedisOptions"/>; they matter only when no external server is configured.
/// </summary>
public sealed class EmbeddedRedisOptions
{
    public const string SectionName = "Gateway:Redis";

    /// <summary>TCP port on 127.0.0.1; 0 picks a free port at every start.</summary>
    [Range(0, 65535, ErrorMessage = "Gateway:Redis:EmbeddedPort must be between 0 (pick a free port) and 65535.")]
    public int EmbeddedPort { get; set; }
}
