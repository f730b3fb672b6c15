using System.ComponentModel.DataAnnotations;

namespace Gateway.MtaEdge.Host.Admin;

/// <summary>
/// The admin API of the cluster (the same contract as standalone's, protos/gateway/v1/admin.proto), served by
/// every edge on its HTTP listener. Bound from <c>Gateway:Admin</c>; its Listen key is standalone's only.
/// </summary>
public sealed class ClusterAdminOptions
{
    public const string SectionName = "Gateway:Admin";

    /// <summary>Bearer token required on /api calls. Required when the HTTP listener is not loopback.</summary>
    public string? Token { get; set; }

    /// <summary>A file holding the bearer token (first line); wins over nothing, loses to <see
    /// cref="Token"/>.</summary>
    public string? TokenFile { get; set; }

    /// <summary>Largest message accepted by the report and lookup calls, in octets.</summary>
    [Range(1024, int.MaxValue)]
    public int MaxMessageBytes { get; set; } = 26 * 1024 * 1024;

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
