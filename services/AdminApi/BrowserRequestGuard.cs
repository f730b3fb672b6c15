using System.Net;
using Microsoft.AspNetCore.Http;

namespace Gateway.AdminApi;

/// <summary>
/// Keeps web pages out of the admin API. Without a token the API trusts whoever reaches its loopback listener, and a
/// browser on the same host reaches it too: a page could POST a "simple" cross-site request (text/plain, a form) to
/// approve a sender or convict mail, or rebind its own name to 127.0.0.1 and read the answers. gatewayctl and
/// scripts are not browsers, so the guard refuses what only browsers send (<c>Origin</c>, <c>Sec-Fetch-Site</c>
/// other than "none"), bodies that are not the declared type (application/json, message/rfc822), and, when no
/// token is configured, a <c>Host</c> that is neither an IP address nor "localhost" (DNS rebinding).
/// </summary>
public sealed class BrowserRequestGuard(bool tokenConfigured)
{
    public async ValueTask<object?> FilterAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next) =>
        Problem(context.HttpContext.Request) is { } problem
            ? AdminResults.Error(StatusCodes.Status403Forbidden, problem)
            : await next(context);

    /// <summary>Why the request is refused, or null when it may go on.</summary>
    public string? Problem(HttpRequest request)
    {
        if (request.Headers.Origin.Count > 0
            || (request.Headers.TryGetValue("Sec-Fetch-Site", out var site) && site.ToString() != "none"))
        {
            return "the admin API does not answer web pages (Origin or Sec-Fetch-Site sent); use gatewayctl";
        }

        if (!tokenConfigured && !IsLocalHostName(request.Host.Host))
        {
            return "without an admin token the Host must be an IP address or localhost";
        }

        var hasBody = request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0;
        if (hasBody && !HttpMethods.IsGet(request.Method))
        {
            var type = request.ContentType?.Split(';')[0].Trim().ToLowerInvariant();
            if (type is not ("application/json" or "message/rfc822" or "application/octet-stream"))
            {
                return "send the body as application/json (requests) or message/rfc822 (messages), not "
                    + (type is null ? "without a type" : "'" + Printable(type) + "'");
            }
        }

        return null;
    }

    private static bool IsLocalHostName(string host) =>
        host.Length == 0
        || string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
        || IPAddress.TryParse(host.Trim('[', ']'), out _);

    private static string Printable(string value) =>
        new(value.Take(64).Select(c => char.IsControl(c) ? '?' : c).ToArray());
}
