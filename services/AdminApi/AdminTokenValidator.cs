using Microsoft.Extensions.Options;

namespace Gateway.AdminApi;

/// <summary>
/// Refuses to start with an admin token that cannot be used: both keys set, an unreadable file, or a token
/// short enough to guess. Registered for each host's options type.
/// </summary>
public sealed class AdminTokenValidator<TOptions> : IValidateOptions<TOptions>
    where TOptions : AdminApiOptions
{
    public ValidateOptionsResult Validate(string? name, TOptions options) =>
        options.TokenProblem() is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
}
