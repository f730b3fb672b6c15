namespace Gateway.RetroRemediation.Stores.Maildir;

/// <summary>
/// The info part of a Maildir file name (":2," then flags in ASCII order, e.g. ":2,FS"); only files in
/// cur/ carry it. See the Maildir description (cr.yp.to/proto/maildir.html) and Dovecot's use of it.
/// </summary>
public static class MaildirInfo
{
    private const string Marker = ":2,";

    /// <summary>True when the file has been read (flag S).</summary>
    public static bool IsSeen(string subDir, string fileName) => HasFlag(subDir, fileName, 'S');

    public static bool HasFlag(string subDir, string fileName, char flag)
    {
        if (subDir != "cur")
        {
            return false;
        }

        var at = fileName.LastIndexOf(Marker, StringComparison.Ordinal);
        return at >= 0 && fileName.AsSpan(at + Marker.Length).Contains(flag);
    }

    /// <summary>The file name with <paramref name="flag"/> added or removed, flags kept in ASCII order.</summary>
    public static string WithFlag(string fileName, char flag, bool add)
    {
        var at = fileName.LastIndexOf(Marker, StringComparison.Ordinal);
        var baseName = at >= 0 ? fileName[..at] : fileName;
        var flags = at >= 0 ? fileName[(at + Marker.Length)..] : "";
        var set = new SortedSet<char>(flags.Where(c => c != flag));
        if (add)
        {
            set.Add(flag);
        }

        return baseName + Marker + string.Concat(set);
    }
}
