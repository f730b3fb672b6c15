using System.Globalization;
using Gateway.V1;
using StackExchange.Redis;

namespace Gateway.SenderIntelligence.Store;

/// <summary>
/// The fields of a profile that decide its tier, as the scripts return them (see <c>standing</c> in
/// <see cref="SenderScripts"/>). A profile that does not exist yet has every field empty.
/// </summary>
public sealed record ProfileFields
{
    public static ProfileFields Empty { get; } = new();

    public long? FirstSeenMs { get; init; }

    /// <summary>The dynamic tier; null when the profile has none yet (a new sender, in probation).</summary>
    public SenderTier? Tier { get; init; }

    public long TierSinceMs { get; init; }

    public string TierReason { get; init; } = "";

    /// <summary>Messages since the tier was entered, spam among them, recipients, unknown recipients.</summary>
    public long TierMessages { get; init; }

    public long TierSpam { get; init; }

    public long TierRecipients { get; init; }

    public long TierUnknown { get; init; }

    /// <summary>
    /// The tier this one was promoted from (limits ramp from it); null when not entered by promotion.
    /// </summary>
    public SenderTier? RampFrom { get; init; }

    public long HourMessages { get; init; }

    public double HourlyAverage { get; init; }

    /// <summary>Reads the 11 standing fields starting at <paramref name="offset"/> of a script's answer.</summary>
    internal static ProfileFields Read(RedisResult[] values, int offset)
    {
        string F(int i) => values.Length > offset + i ? values[offset + i].ToString() ?? "" : "";
        return new ProfileFields
        {
            FirstSeenMs = Long(F(0)),
            Tier = ParseTier(F(1)),
            TierSinceMs = Long(F(2)) ?? 0,
            TierReason = F(3),
            TierMessages = Long(F(4)) ?? 0,
            RampFrom = ParseTier(F(5)),
            TierSpam = Long(F(6)) ?? 0,
            TierRecipients = Long(F(7)) ?? 0,
            TierUnknown = Long(F(8)) ?? 0,
            HourMessages = Long(F(9)) ?? 0,
            HourlyAverage = Double(F(10)),
        };
    }

    internal static long? Long(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? (long)value : null;

    internal static double Double(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : 0;

    private static SenderTier? ParseTier(string text) =>
        Long(text) is { } n && Enum.IsDefined((SenderTier)n) && n != 0 ? (SenderTier)n : null;
}
