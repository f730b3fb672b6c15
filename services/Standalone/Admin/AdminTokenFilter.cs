using Gateway.AdminApi;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Gateway.Standalone.Admin;

/// <summary>Requires <c>Authorization: Bearer &lt;token&gt;</c> on admin API calls when a token is configured.</summary>
public sealed class AdminTokenFilter : IEndpointFilter
{
    private readonly byte[]? _token;

    public AdminTokenFilter(IOptions<AdminOptions> options)
    {
        var token = options.Value.ResolveToken();
        _token = token is null ? null : Encoding.UTF8.GetBytes(token);
    }

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        if (!IsAuthorized(context.HttpContext))
        {
            return AdminResults.Error(StatusCodes.Status401Unauthorized, "a valid bearer token is required");
        }

        return await next(context);
    }

    /// <summary>True when no token is configured or the request carries it.</summary>
    public bool IsAuthorized(HttpContext context)
    {
        if (_token is null)
        {
            return true;
        }

        var header = context.Request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        var presented = header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase)
            ? Encoding.UTF8.GetBytes(header[scheme.Length..].Trim())
            : [];

        // Constant-time comparison so the token cannot be guessed byte by byte from response times.
        return CryptographicOperations.FixedTimeEquals(presented, _token);
    }
}
