using System.Globalization;
using System.Net;

namespace Gateway.MtaEdge.Delivery;

/// <summary>
/// A parsed <see cref="DeliveryOptions.Target"/>: <c>maildir:&lt;dir&gt;</c>, <c>lmtp://host:port</c>
/// or <c>smtp://host:port</c> (port defaults: LMTP 24, SMTP 25).
/// </summary>
public sealed record DeliveryTargetAddress(DeliveryTargetKind Kind, string MaildirRoot, string Host, int Port)
{
    public const int DefaultLmtpPort = 24;
    public const int DefaultSmtpPort = 25;

    public override string ToString() => Kind switch
    {
        DeliveryTargetKind.Maildir => "maildir:" + MaildirRoot,
        DeliveryTargetKind.Lmtp => $"lmtp://{HostForUri}:{Port}",
        _ => $"smtp://{HostForUri}:{Port}",
    };

    private string HostForUri => Host.Contains(':') ? $"[{Host}]" : Host;

    /// <summary>Parses a target; an empty one means <c>maildir:&lt;dataDir&gt;/mail</c>.</summary>
    public static bool TryParse(string? target, string dataDir, out DeliveryTargetAddress address, out string error)
    {
        address = null!;
        error = "";
        target = target?.Trim() ?? "";
        if (target.Length == 0)
        {
            address = new DeliveryTargetAddress(
                DeliveryTargetKind.Maildir, Path.GetFullPath(Path.Combine(dataDir, "mail")), "", 0);
            return true;
        }

        if (target.StartsWith("maildir:", StringComparison.OrdinalIgnoreCase))
        {
            var directory = target["maildir:".Length..];
            if (directory.Length == 0 || directory.Contains('\0'))
            {
                error = "maildir: needs a directory, e.g. maildir:/var/mail";
                return false;
            }

            address = new DeliveryTargetAddress(DeliveryTargetKind.Maildir, Path.GetFullPath(directory), "", 0);
            return true;
        }

        DeliveryTargetKind kind;
        int defaultPort;
        string authority;
        if (target.StartsWith("lmtp://", StringComparison.OrdinalIgnoreCase))
        {
            (kind, defaultPort, authority) = (DeliveryTargetKind.Lmtp, DefaultLmtpPort, target["lmtp://".Length..]);
        }
        else if (target.StartsWith("smtp://", StringComparison.OrdinalIgnoreCase))
        {
            (kind, defaultPort, authority) = (DeliveryTargetKind.Smtp, DefaultSmtpPort, target["smtp://".Length..]);
        }
        else
        {
            error = "expected maildir:<dir>, lmtp://host:port or smtp://host:port";
            return false;
        }

        authority = authority.TrimEnd('/');
        if (!TrySplitHostPort(authority, defaultPort, out var host, out var port))
        {
            error = $"'{authority}' is not host:port (IPv6 as [addr]:port; no user, path or query)";
            return false;
        }

        address = new DeliveryTargetAddress(kind, "", host, port);
        return true;
    }

    private static bool TrySplitHostPort(string authority, int defaultPort, out string host, out int port)
    {
        host = "";
        port = defaultPort;
        if (authority.Length == 0 || authority.IndexOfAny(['/', '?', '#', '@', ' ']) >= 0)
        {
            return false;
        }

        string portText;
        if (authority.StartsWith('['))
        {
            var close = authority.IndexOf(']');
            if (close < 0 || !IPAddress.TryParse(authority[1..close], out _))
            {
                return false;
            }

            host = authority[1..close];
            portText = authority[(close + 1)..];
            if (portText.Length > 0 && !portText.StartsWith(':'))
            {
                return false;
            }

            portText = portText.TrimStart(':');
        }
        else
        {
            var colon = authority.IndexOf(':');
            host = colon < 0 ? authority : authority[..colon];
            portText = colon < 0 ? "" : authority[(colon + 1)..];
            if (Uri.CheckHostName(host) is not (UriHostNameType.Dns or UriHostNameType.IPv4))
            {
                return false;
            }
        }

        if (portText.Length > 0
            && (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out port)
                || port is < 1 or > 65535))
        {
            return false;
        }

        return true;
    }
}
