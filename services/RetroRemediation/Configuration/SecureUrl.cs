using System.Net;

namespace Gateway.RetroRemediation.Configuration;

/// <summary>Checks a store's HTTP endpoint: https, or plain http only to this machine (loopback).</summary>
public static class SecureUrl
{
    public static bool TryCheck(string value, out string error)
    {
        error = "";
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
            || string.IsNullOrEmpty(uri.Host) || uri.UserInfo.Length > 0 || uri.Fragment.Length > 0)
        {
            error = $"must be an absolute http(s) URL without user info or fragment; got '{value}'.";
            return false;
        }

        if (uri.Scheme == Uri.UriSchemeHttp && !IsLoopback(uri.Host))
        {
            // Credentials and signed requests must not cross a network in clear.
            error = $"must use https unless the host is a loopback address; got '{value}'.";
            return false;
        }

        return true;
    }

    public static bool IsLoopback(string host) =>
        string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
}
