using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Gateway.MtaEdge.Delivery.Maildir;

/// <summary>
/// Unique Maildir file names, <c>&lt;sec&gt;.M&lt;usec&gt;P&lt;pid&gt;Q&lt;n&gt;.&lt;host&gt;,S=&lt;size&gt;</c>:
/// time, process id and a per-process counter make the name unique on this host (the Maildir
/// convention); S= lets Dovecot know the size without a stat.
/// </summary>
public sealed class MaildirFileNames
{
    private readonly string _host;
    private readonly int _processId = Environment.ProcessId;
    private long _counter;

    public MaildirFileNames(string hostname)
    {
        _host = EscapeHost(string.IsNullOrWhiteSpace(hostname) ? "localhost" : hostname);
    }

    public string Next(DateTimeOffset now, long size)
    {
        var microseconds = now.ToUnixTimeMilliseconds() * 1000 + (now.Ticks / 10 % 1000);
        var seconds = microseconds / 1_000_000;
        var counter = Interlocked.Increment(ref _counter);
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{seconds}.M{microseconds % 1_000_000}P{_processId}Q{counter}.{_host},S={size}");
    }

    /// <summary>
    /// The name of one message's copy for one recipient,
    /// <c>&lt;sec&gt;.Q&lt;queue id&gt;R&lt;n&gt;.&lt;host&gt;,S=&lt;size&gt;</c>: the same on every attempt, so a
    /// retry after a crash between delivery and bookkeeping can see that the copy is already there
    /// (queue ids are unique, so the name still is).
    /// </summary>
    public string ForDelivery(DateTimeOffset receivedAt, string queueId, int recipientIndex, long size)
    {
        var seconds = Math.Max(0, receivedAt.ToUnixTimeSeconds());
        return string.Create(
            CultureInfo.InvariantCulture, $"{seconds}.Q{queueId}R{recipientIndex}.{_host},S={size}");
    }

    /// <summary>
    /// '/' and ':' would break the path and the ":2," info suffix, ',' the S= field: they are written
    /// as backslash and three octal digits (the Maildir convention), as is anything not printable.
    /// </summary>
    private static string EscapeHost(string host)
    {
        var builder = new StringBuilder(host.Length);
        foreach (var c in host)
        {
            if (c is > ' ' and < (char)0x7F and not ('/' or ':' or ',' or '\\'))
            {
                builder.Append(c);
            }
            else
            {
                var octet = c > 0xFF ? '?' : c;
                builder.Append('\\').Append(Convert.ToString(octet, 8).PadLeft(3, '0'));
            }
        }

        Debug.Assert(builder.Length > 0);
        return builder.ToString();
    }
}
