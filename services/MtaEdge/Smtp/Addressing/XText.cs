using System.Text;

namespace Gateway.MtaEdge.Smtp.Addressing;

/// <summary>
/// The xtext encoding of DSN parameters (RFC 3461 section 4): printable ASCII except "+" and "=" as
/// is, anything else as "+" and two upper-case hex digits.
/// </summary>
internal static class XText
{
    /// <summary>Decodes xtext; false when it is malformed or decodes to something outside printable ASCII.</summary>
    public static bool TryDecode(string value, out string decoded)
    {
        var builder = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '+')
            {
                if (i + 2 >= value.Length || !IsUpperHex(value[i + 1]) || !IsUpperHex(value[i + 2]))
                {
                    decoded = "";
                    return false;
                }

                var octet = (char)Convert.ToByte(value.Substring(i + 1, 2), 16);
                if (octet is < ' ' or > '~')
                {
                    // Control characters would end up in header fields of a report.
                    decoded = "";
                    return false;
                }

                builder.Append(octet);
                i += 2;
            }
            else if (c is >= '!' and <= '~' && c != '=')
            {
                builder.Append(c);
            }
            else
            {
                decoded = "";
                return false;
            }
        }

        decoded = builder.ToString();
        return true;
    }

    /// <summary>Encodes printable text as xtext (non-ASCII is encoded as its UTF-8 octets).</summary>
    public static string Encode(string value)
    {
        var builder = new StringBuilder(value.Length + 8);
        foreach (var octet in Encoding.UTF8.GetBytes(value))
        {
            if (octet is >= (byte)'!' and <= (byte)'~' && octet != (byte)'+' && octet != (byte)'=')
            {
                builder.Append((char)octet);
            }
            else
            {
                builder.Append('+').Append(octet.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }

    private static bool IsUpperHex(char c) => c is (>= '0' and <= '9') or (>= 'A' and <= 'F');
}
