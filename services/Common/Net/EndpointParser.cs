using System.Net;

namespace Gateway.Common.Net;

/// <summary>Parses listen addresses written as <c>host:port</c>, <c>[v6]:port</c> or <c>*:port</c>.</summary>
public static class EndpointParser
{
    public static IPEndPoint Parse(string text, string settingName)
    {
        if (TryParse(text, out var endpoint))
        {
            return endpoint;
        }

        throw new FormatException(
            $"{settingName} must be an address and port such as 127.0.0.1:2525 or [::1]:2525; got '{text}'.");
    }

    public static bool TryParse(string? text, out IPEndPoint endpoint)
    {
        endpoint = null!;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        text = text.Trim();
        if (text.StartsWith("*:", StringComparison.Ordinal) || text.StartsWith("0.0.0.0:", StringComparison.Ordinal))
        {
            if (int.TryParse(text[(text.IndexOf(':') + 1)..], out var anyPort) && anyPort is >= 0 and <= 65535)
            {
                endpoint = new IPEndPoint(IPAddress.Any, anyPort);
                return true;
            }

            return false;
        }

        // A port is required: IPv4 needs "a.b.c.d:port", IPv6 needs "[addr]:port".
        var hasPort = text.StartsWith('[') ? text.Contains("]:", StringComparison.Ordinal) : text.Count(c => c == ':') == 1;
        if (hasPort && IPEndPoint.TryParse(text, out var parsed))
        {
            endpoint = parsed;
            return true;
        }

        var colon = text.LastIndexOf(':');
        if (colon > 0 && text[..colon] == "localhost" && int.TryParse(text[(colon + 1)..], out var port)
            && port is >= 0 and <= 65535)
        {
            endpoint = new IPEndPoint(IPAddress.Loopback, port);
            return true;
        }

        return false;
    }

    /// <summary>True when the endpoint is reachable only from this machine.</summary>
    public static bool IsLoopback(IPEndPoint endpoint) => IPAddress.IsLoopback(endpoint.Address);
}
