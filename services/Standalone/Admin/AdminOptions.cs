using System.ComponentModel.DataAnnotations;
using Gateway.AdminApi;

namespace Gateway.Standalone.Admin;

/// <summary>The admin HTTP API (gatewayctl, /healthz, /metrics), bound from <c>Gateway:Admin</c>.</summary>
public sealed class AdminOptions : AdminApiOptions
{
    /// <summary>Where the admin API listens. Anything but loopback requires a token.</summary>
    [Required]
    public string Listen { get; set; } = "127.0.0.1:8025";
}
