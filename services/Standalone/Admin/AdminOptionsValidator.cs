using Gateway.Common.Net;
using Microsoft.Extensions.Options;

namespace Gateway.Standalone.Admin;

/// <summary>Refuses to start an admin API that the world could reach without a token.</summary>
public sealed class AdminOptionsValidator : IValidateOptions<AdminOptions>
{
    public ValidateOptionsResult Validate(string? name, AdminOptions options)
    {
        if (!EndpointParser.TryParse(options.Listen, out var endpoint))
        {
            return ValidateOptionsResult.Fail(
                $"Gateway:Admin:Listen must be an address and port such as 127.0.0.1:8025; got '{options.Listen}'.");
        }

        if (!EndpointParser.IsLoopback(endpoint) && !options.HasToken)
        {
            return ValidateOptionsResult.Fail(
                "Gateway:Admin:Listen is not a loopback address, so Gateway:Admin:Token or Gateway:Admin:TokenFile must be set.");
        }

        return ValidateOptionsResult.Success;
    }
}
