using System.ComponentModel.DataAnnotations;

namespace Gateway.Common.Configuration;

/// <summary>Gateway-wide settings, bound from the <c>Gateway</c> configuration section.</summary>
public sealed class GatewayOptions
{
    public const string SectionName = "Gateway";

    /// <summary>Domains mail is accepted for; RCPT to any other domain is refused (no relay).</summary>
    [MinLength(1, ErrorMessage = "Gateway:Domains must name at least one domain (e.g. Gateway__Domains__0=example.test).")]
    public List<string> Domains { get; set; } = new();

    /// <summary>Spool and embedded state live here.</summary>
    [Required]
    public string DataDir { get; set; } = "./data";

    /// <summary>Name this gateway gives itself in the greeting and in Received: headers.</summary>
    public string Hostname { get; set; } = System.Net.Dns.GetHostName();

    public string FullDataDir => Path.GetFullPath(DataDir);
}
