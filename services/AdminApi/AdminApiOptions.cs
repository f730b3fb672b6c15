using System.ComponentModel.DataAnnotations;
using Gateway.Common.Security;
using Microsoft.Extensions.Logging;

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

    /// <summary>A file holding the bearer token (first line), re-read when it changes; set this or
    /// <see cref="Token"/>, not both.</summary>
    public string? TokenFile { get; set; }

    /// <summary>Largest message accepted by the report and lookup calls, in octets.</summary>
    [Range(1024, int.MaxValue)]
    public int MaxMessageBytes { get; set; } = 26 * 1024 * 1024;

    /// <summary>Whether a token is configured (inline or as a file).</summary>
    public bool HasToken => !string.IsNullOrEmpty(Token) || !string.IsNullOrEmpty(TokenFile);

    /// <summary>Why the configured token cannot be used (too short, unreadable file, both keys set), or null.</summary>
    public string? TokenProblem() => BearerToken.Problem(Token, TokenFile, SectionName + ":");

    /// <summary>The configured token, or null when none is; call after <see cref="TokenProblem"/> found none.
    /// <paramref name="logger"/> hears of a token file that stops being usable.</summary>
    public BearerToken? CreateToken(ILogger? logger = null) => BearerToken.Create(Token, TokenFile, logger);
}
