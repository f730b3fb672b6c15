using Gateway.AdminApi;
using Microsoft.Extensions.Options;

namespace Gateway.Standalone.Admin;

/// <summary>Requires <c>Authorization: Bearer &lt;token&gt;</c> on admin API calls when a token is configured.</summary>
public sealed class AdminTokenFilter(IOptions<AdminOptions> options, ILogger<AdminTokenFilter> logger) : IEndpointFilter
{
    private readonly BearerTokenCheck _check = new(options.Value.CreateToken(logger));

    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next) =>
        _check.FilterAsync(context, next);

    /// <summary>True when no token is configured or the request carries it.</summary>
    public bool IsAuthorized(HttpContext context) => _check.IsAuthorized(context);
}
