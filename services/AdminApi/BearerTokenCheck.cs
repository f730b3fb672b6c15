using Gateway.Common.Security;
using Microsoft.AspNetCore.Http;

namespace Gateway.AdminApi;

/// <summary>
/// The admin API's authentication: <c>Authorization: Bearer &lt;token&gt;</c> checked against the configured
/// <see cref="BearerToken"/> (constant time; a token file is re-read when it changes, as for gRPC). No token
/// configured: open (the hosts allow that only on loopback listeners).
/// </summary>
public sealed class BearerTokenCheck(BearerToken? token)
{
    private const string Scheme = "Bearer ";

    public bool IsAuthorized(HttpContext context)
    {
        if (token is null)
        {
            return true;
        }

        var header = context.Request.Headers.Authorization.ToString();
        return header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase)
            && token.Matches(header[Scheme.Length..].Trim());
    }

    /// <summary>An endpoint filter answering 401 to calls without the token.</summary>
    public async ValueTask<object?> FilterAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next) =>
        IsAuthorized(context.HttpContext)
            ? await next(context)
            : AdminResults.Error(StatusCodes.Status401Unauthorized, "a valid bearer token is required");
}
