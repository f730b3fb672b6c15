using System.Globalization;
using Gateway.V1;
using Google.Protobuf.WellKnownTypes;

namespace Gateway.Ctl.Commands;

/// <summary>Small helpers that turn API values into words.</summary>
public static class Wording
{
    public static string Count(long n, string one, string many) =>
        n.ToString(CultureInfo.InvariantCulture) + " " + (n == 1 ? one : many);

    public static string Time(Timestamp? at) =>
        at is null || (at.Seconds == 0 && at.Nanos == 0)
            ? "(no time)"
            : at.ToDateTimeOffset().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>A time kept to the minute (a copy's last action), printed as such.</summary>
    public static string Minute(Timestamp? at) =>
        at is null || (at.Seconds == 0 && at.Nanos == 0)
            ? "(no time)"
            : at.ToDateTimeOffset().ToString("yyyy-MM-dd HH:mm'Z'", CultureInfo.InvariantCulture);

    public static string Age(long seconds)
    {
        if (seconds <= 0)
        {
            return "0s";
        }

        var span = TimeSpan.FromSeconds(seconds);
        if (span.TotalDays >= 1)
        {
            return $"{(int)span.TotalDays}d {span.Hours}h {span.Minutes:00}m";
        }

        if (span.TotalHours >= 1)
        {
            return $"{span.Hours}h {span.Minutes:00}m {span.Seconds:00}s";
        }

        return span.TotalMinutes >= 1 ? $"{span.Minutes}m {span.Seconds:00}s" : $"{span.Seconds}s";
    }

    public static string State(CopyState state) => state switch
    {
        CopyState.Delivered => "delivered",
        CopyState.MovedToJunk => "moved to Junk",
        CopyState.Restored => "restored",
        CopyState.Failed => "failed",
        CopyState.NotFound => "not found",
        CopyState.UserRestored => "restored by the user",
        CopyState.Quarantined => "quarantined",
        CopyState.Deleted => "deleted",
        CopyState.Flagged => "flagged",
        _ => "unknown",
    };

    public static string Store(MailboxStoreKind store) => store switch
    {
        MailboxStoreKind.Maildir => "maildir",
        MailboxStoreKind.Imap => "imap",
        MailboxStoreKind.Jmap => "jmap",
        MailboxStoreKind.Webhook => "webhook",
        _ => "unknown",
    };

    /// <summary>Text from the server, made safe for one terminal line.</summary>
    public static string Clean(string text)
    {
        var chars = text.Select(c => char.IsControl(c) ? ' ' : c).ToArray();
        return new string(chars).Trim();
    }
}
