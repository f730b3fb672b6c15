using System.Globalization;
using Gateway.V1;

namespace Gateway.SenderIntelligence.Admin;

/// <summary>
/// An administrator's decision about a subject, stored as <c>tier|until|setAt|actor|reason</c> (times in Unix ms,
/// until 0 for none; the reason last, so it may contain '|').
/// </summary>
public sealed record OverrideEntry(
    SenderTier Tier,
    DateTimeOffset? Until,
    DateTimeOffset SetAt,
    string Actor,
    string Reason)
{
    public bool IsActive(DateTimeOffset now) => Until is not { } until || until > now;

    public string Encode() => string.Join('|',
        ((int)Tier).ToString(CultureInfo.InvariantCulture),
        (Until?.ToUnixTimeMilliseconds() ?? 0).ToString(CultureInfo.InvariantCulture),
        SetAt.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
        Clean(Actor),
        Clean(Reason));

    public static bool TryDecode(string text, out OverrideEntry entry)
    {
        entry = null!;
        var parts = text.Split('|', 5);
        if (parts.Length != 5
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var tier)
            || tier is not ((int)SenderTier.Blocked or (int)SenderTier.Trusted or (int)SenderTier.Probation
                or (int)SenderTier.Standard)
            || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var until)
            || !long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var setAt))
        {
            return false;
        }

        entry = new OverrideEntry(
            (SenderTier)tier,
            until == 0 ? null : DateTimeOffset.FromUnixTimeMilliseconds(until),
            DateTimeOffset.FromUnixTimeMilliseconds(setAt),
            parts[3],
            parts[4]);
        return true;
    }

    /// <summary>One line of printable text: separators and control characters become spaces.</summary>
    internal static string Clean(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        var chars = text.Take(300).Select(c => char.IsControl(c) || c == '|' ? ' ' : c).ToArray();
        return new string(chars).Trim();
    }
}
