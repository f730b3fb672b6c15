using System.Globalization;
using System.Net;
using System.Text;

namespace Gateway.MtaEdge.Smtp.Message;

/// <summary>The header fields the edge adds in front of a message it accepts.</summary>
internal static class TraceHeaders
{
    /// <summary>
    /// The Received: field of RFC 5321 4.4 (syntax in RFC 5321 4.4 and RFC 5322 3.6.7):
    /// from the client's HELO name and address (no reverse lookup, so the address literal alone),
    /// by this host, with the protocol (RFC 3848, RFC 6531 4.3), id the queue id,
    /// for the recipient when there is exactly one; then the date. Under TLS a comment names the
    /// protocol version and cipher.
    /// </summary>
    public static string Received(
        string helo, IPAddress client, string host, string protocol, string queueId,
        IReadOnlyList<string> recipients, DateTimeOffset at, string tls = "")
    {
        var builder = new StringBuilder(256)
            .Append("Received: from ").Append(SafeToken(helo))
            .Append(" (").Append(AddressLiteral(client)).Append(")\r\n");
        if (tls.Length > 0)
        {
            // Our own text ("TLSv1.3 TLS_AES_256_GCM_SHA384"), never the client's.
            var space = tls.IndexOf(' ');
            var version = space < 0 ? tls : tls[..space];
            var cipher = space < 0 ? "" : " with cipher " + tls[(space + 1)..];
            builder.Append("\t(using ").Append(version).Append(cipher).Append(")\r\n");
        }

        builder.Append("\tby ").Append(host).Append(" with ").Append(protocol)
            .Append(" id ").Append(queueId);
        if (recipients.Count == 1)
        {
            builder.Append("\r\n\tfor <").Append(recipients[0]).Append('>');
        }

        return builder.Append(";\r\n\t").Append(Date(at)).Append("\r\n").ToString();
    }

    public static string MessageId(string queueId, string host) => $"<{queueId}@{host}>";

    /// <summary>RFC 5322 3.3 date-time, in UTC.</summary>
    public static string Date(DateTimeOffset at) =>
        at.UtcDateTime.ToString("ddd, dd MMM yyyy HH:mm:ss", CultureInfo.InvariantCulture) + " +0000";

    /// <summary>[192.0.2.1] or [IPv6:2001:db8::1] (RFC 5321 4.1.3).</summary>
    public static string AddressLiteral(IPAddress address)
    {
        var text = AddressText(address);
        return text.Contains(':') ? $"[IPv6:{text}]" : $"[{text}]";
    }

    /// <summary>The client address as text: IPv4-mapped addresses as IPv4, IPv6 without a scope id.</summary>
    public static string AddressText(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        return address.ToString().Split('%')[0];
    }

    /// <summary>
    /// The client's HELO name is its own claim: anything but letters, digits and the characters of
    /// domains and address literals becomes "_", so it cannot break the header's structure.
    /// </summary>
    public static string SafeToken(string value)
    {
        if (value.Length == 0)
        {
            return "unknown";
        }

        var builder = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            builder.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or ':' or '[' or ']' ? c : '_');
        }

        return builder.ToString();
    }
}
