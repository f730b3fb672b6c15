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

    private static void RequirePositive(List<string> errors, string setting, TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            errors.Add($"{DeliveryOptions.SectionName}:{setting} must be a positive duration (e.g. 00:01:00).");
        }
    }
}
