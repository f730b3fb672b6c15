using System.ComponentModel.DataAnnotations;

namespace Gateway.AdminApi;

/// <summary>
/// What every host of the admin API reads from <c>Gateway:Admin</c>: the bearer token and the message size limit.
/// The standalone gateway adds its listener (<c>Listen</c>); a cluster edge serves the API on its HTTP listener.
/// </summary>
public class AdminApiOptions
{
    public const string SectionName = "Gateway:Admin";

    /// <summary>Bearer token required on /api calls; prefer <see cref="TokenFile"/> so it stays out of the
    /// environment. Required when the listener is not loopback.</summary>
    public string? Token { get; set; }

    /// <summary>A file holding the bearer token (first line); <see cref="Token"/> wins when both are set.</summary>
    public string? TokenFile { get; set; }

    /// <summary>Largest message accepted by the report and lookup calls, in octets.</summary>
    [Range(1024, int.MaxValue)]
    public int MaxMessageBytes { get; set; } = 26 * 1024 * 1024;

    /// <summary>The token from <see cref="Token"/> or <see cref="TokenFile"/>, or null when neither is set.</summary>
    public string? ResolveToken()
    {
        if (!string.IsNullOrEmpty(Token))
        {
            return Token;
        }

        if (string.IsNullOrEmpty(TokenFile))
        {
            return null;
        }

        var line = File.ReadLines(TokenFile).FirstOrDefault()?.Trim();
        return string.IsNullOrEmpty(line) ? null : line;
    }
}
