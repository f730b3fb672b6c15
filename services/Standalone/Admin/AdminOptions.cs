using System.ComponentModel.DataAnnotations;

namespace Gateway.Standalone.Admin;

/// <summary>The admin HTTP API (gatewayctl, /healthz, /metrics), bound from <c>Gateway:Admin</c>.</summary>
public sealed class AdminOptions
{
    public const string SectionName = "Gateway:Admin";

    /// <summary>Where the admin API listens. Anything but loopback requires a token.</summary>
    [Required]
    public string Listen { get; set; } = "127.0.0.1:8025";

    /// <summary>Bearer token required on /api calls; prefer <see cref="TokenFile"/> so it stays out of the environment.</summary>
    public string? Token { get; set; }

    /// <summary>A file holding the bearer token (first line).</summary>
    public string? TokenFile { get; set; }

    /// <summary>Largest message accepted by the report and lookup calls.</summary>
    [Range(1024, int.MaxValue)]
    public int MaxMessageBytes { get; set; } = 26 * 1024 * 1024;

    /// <summary>The token from <see cref="Token"/> or <see cref="TokenFile"/>, or null when neither is set.</summary>
    public string? ResolveToken()
    {
        if (!string.IsNullOrEmpty(Token))
        {
            return Token;
        }

        if (!string.IsNullOrEmpty(TokenFile))
        {
            var line = File.ReadLines(TokenFile).FirstOrDefault()?.Trim();
            return string.IsNullOrEmpty(line) ? null : line;
        }

        return null;
    }
}
