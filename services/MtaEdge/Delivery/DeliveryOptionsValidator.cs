using Gateway.Common.Configuration;
using Microsoft.Extensions.Options;

namespace Gateway.MtaEdge.Delivery;

/// <summary>Checks <see cref="DeliveryOptions"/> at start-up, naming the setting that is wrong.</summary>
public sealed class DeliveryOptionsValidator(IOptions<GatewayOptions> gatewayOptions)
    : IValidateOptions<DeliveryOptions>
{
    public ValidateOptionsResult Validate(string? name, DeliveryOptions options)
    {
        var errors = new List<string>();
        if (!DeliveryTargetAddress.TryParse(options.Target, gatewayOptions.Value.FullDataDir, out _, out var error))
        {
            errors.Add($"{DeliveryOptions.SectionName}:Target '{options.Target}' is invalid: {error}.");
        }

        var dataDir = gatewayOptions.Value.FullDataDir;
        for (var i = 0; i < options.Routes.Count; i++)
        {
            var route = options.Routes[i];
            var setting = $"{DeliveryOptions.SectionName}:Routes:{i}";
            var domain = route.Domain.StartsWith("*.", StringComparison.Ordinal) ? route.Domain[2..] : route.Domain;
            if (Uri.CheckHostName(domain.TrimEnd('.')) != UriHostNameType.Dns)
            {
                errors.Add($"{setting}:Domain '{route.Domain}' is not a domain (or *.domain).");
            }

            if (route.Targets.Count == 0)
            {
                errors.Add($"{setting}:Targets must name at least one target.");
            }

            CheckTargets(errors, $"{setting}:Targets", route.Targets, dataDir);
        }

        CheckTargets(errors, $"{DeliveryOptions.SectionName}:RemoteTargets", options.RemoteTargets, dataDir);
        foreach (var server in options.DnsServers)
        {
            if (Dns.DnsResolver.ParseServer(server) is null)
            {
                errors.Add($"{DeliveryOptions.SectionName}:DnsServers: '{server}' is not an address[:port].");
            }
        }

        RequirePositive(errors, nameof(options.DnsTimeout), options.DnsTimeout);
        if (options.ConnectionReuseTime < TimeSpan.Zero || options.ConnectionReuseTime > TimeSpan.FromMinutes(5))
        {
            errors.Add($"{DeliveryOptions.SectionName}:ConnectionReuseTime must be between 00:00:00 and 00:05:00.");
        }
        if (options.MxPort is < 1 or > 65535)
        {
            errors.Add($"{DeliveryOptions.SectionName}:MxPort must be between 1 and 65535.");
        }

        if (options.Concurrency is < 1 or > 256)
        {
            errors.Add($"{DeliveryOptions.SectionName}:Concurrency must be between 1 and 256.");
        }

        RequirePositive(errors, nameof(options.RetryInitialDelay), options.RetryInitialDelay);
        RequirePositive(errors, nameof(options.RetryMaxDelay), options.RetryMaxDelay);
        RequirePositive(errors, nameof(options.MaxQueueLifetime), options.MaxQueueLifetime);
        RequirePositive(errors, nameof(options.ConnectTimeout), options.ConnectTimeout);
        RequirePositive(errors, nameof(options.CommandTimeout), options.CommandTimeout);
        if (options.RetryMaxDelay < options.RetryInitialDelay)
        {
            errors.Add($"{DeliveryOptions.SectionName}:RetryMaxDelay must not be shorter than RetryInitialDelay.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void CheckTargets(List<string> errors, string setting, List<string> targets, string dataDir)
    {
        for (var i = 0; i < targets.Count; i++)
        {
            if (!DeliveryTargetFactory.TryValidate(targets[i], dataDir, out var error))
            {
                errors.Add($"{setting}:{i} '{targets[i]}' is invalid: {error}.");
            }
        }
    }

    private static void RequirePositive(List<string> errors, string setting, TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            errors.Add($"{DeliveryOptions.SectionName}:{setting} must be a positive duration (e.g. 00:01:00).");
        }
    }
}
