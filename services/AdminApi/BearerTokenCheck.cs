using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Gateway.AdminApi;

/// <summary>
/// The admin API's authentication: <c>Authorization: Bearer &lt;token&gt;</c> compared with the configured token in
/// constant time, so response times do not tell how much of a guess was right. No token configured: open (the
/// hosts allow that only on loopback listeners).
/// </summary>
public sealed class BearerTokenCheck(string? token)
{
    private const string Scheme = "Bearer ";

    private readonly byte[]? _token = string.IsNullOrEmpty(token) ? null : Encoding.UTF8.GetBytes(token);

    public bool IsAuthorized(HttpContext context)
    {
        if (_token is null)
        {
            return true;
        }

        var header = context.Request.Headers.Authorization.ToString();
        var presented = header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase)
            ? Encoding.UTF8.GetBytes(header[Scheme.Length..].Trim())
            : [];
        return CryptographicOperations.FixedTimeEquals(presented, _token);
    }

    /// <summary>An endpoint filter answering 401 to calls without the token.</summary>
    public async ValueTask<object?> FilterAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next) =>
        IsAuthorized(context.HttpContext)
            ? await next(context)
            : AdminResults.Error(StatusCodes.Status401Unauthorized, "a valid bearer token is required");
}
