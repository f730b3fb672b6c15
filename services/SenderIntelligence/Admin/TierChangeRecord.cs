using System.Globalization;
using Gateway.V1;
using Google.Protobuf.WellKnownTypes;

namespace Gateway.SenderIntelligence.Admin;

/// <summary>One entry of a subject's tier history, stored as <c>at|from|to|by|reason</c>.</summary>
public sealed record TierChangeRecord(DateTimeOffset At, SenderTier From, SenderTier To, string By, string Reason)
{
    public const string Dynamic = "dynamic";

    public static string Admin(string actor) => "admin:" + (string.IsNullOrWhiteSpace(actor) ? "unknown" : actor);

    public string Encode() => string.Join('|',
        At.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
        ((int)From).ToString(CultureInfo.InvariantCulture),
        ((int)To).ToString(CultureInfo.InvariantCulture),
        OverrideEntry.Clean(By),
        OverrideEntry.Clean(Reason));

    public static bool TryDecode(string text, out TierChangeRecord record)
    {
        record = null!;
        var parts = text.Split('|', 5);
        if (parts.Length != 5
            || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var at)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var from)
            || !int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var to))
        {
            return false;
        }

        record = new TierChangeRecord(
            DateTimeOffset.FromUnixTimeMilliseconds(at), (SenderTier)from, (SenderTier)to, parts[3], parts[4]);
        return true;
    }

    public TierChange ToMessage() => new()
    {
        At = Timestamp.FromDateTimeOffset(At),
        From = From,
        To = To,
        By = By,
        Reason = Reason,
    };
}
