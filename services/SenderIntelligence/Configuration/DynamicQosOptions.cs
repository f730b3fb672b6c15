using Gateway.V1;

namespace Gateway.SenderIntelligence.Configuration;

/// <summary>
/// How senders move between tiers by themselves (<c>Gateway:Sender:Dynamic</c>). New senders start in probation;
/// a clean history promotes one tier at a time, never past <see cref="PromotionCeiling"/>; a spam ratio, a
/// directory-harvest pattern or a volume spike demotes one tier at once.
/// </summary>
public sealed class DynamicQosOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>The highest tier automatic promotion reaches; above it only an administrator or a rule lifts.</summary>
    public SenderTier PromotionCeiling { get; set; } = SenderTier.Standard;

    /// <summary>Least time in a tier before the next promotion.</summary>
    public TimeSpan MinTimeInTier { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Least clean messages received in a tier before the next promotion.</summary>
    public int MinCleanMessages { get; set; } = 20;

    /// <summary>Promotion needs a spam ratio (since the last tier change) at or below this.</summary>
    public double MaxSpamRatioForPromotion { get; set; } = 0.02;

    /// <summary>Promotion needs an unknown-recipient ratio (since the last tier change) at or below this.</summary>
    public double MaxUnknownRatioForPromotion { get; set; } = 0.1;

    /// <summary>
    /// After a promotion the limits grow from the previous tier's to the new tier's over this many clean messages,
    /// so a sender never jumps, and never exceeds the ceiling of the tier it is in.
    /// </summary>
    public int RampMessages { get; set; } = 50;

    /// <summary>Demote when the spam ratio since the last tier change reaches this ...</summary>
    public double DemoteSpamRatio { get; set; } = 0.3;

    /// <summary>... over at least this many messages.</summary>
    public int DemoteSpamMinMessages { get; set; } = 5;

    /// <summary>Directory harvest: unknown recipients counted over this sliding window ...</summary>
    public TimeSpan HarvestWindow { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>... at least this many ...</summary>
    public int HarvestMinUnknown { get; set; } = 10;

    /// <summary>... making at least this share of the recipients tried, demotes.</summary>
    public double HarvestRatio { get; set; } = 0.5;

    /// <summary>Volume spike: messages this hour above this multiple of the sender's own hourly average ...</summary>
    public double SpikeFactor { get; set; } = 5;

    /// <summary>... and at least this many messages this hour ...</summary>
    public int SpikeMinMessages { get; set; } = 50;

    /// <summary>... from a sender first seen at least this long ago (before that there is no average).</summary>
    public TimeSpan SpikeMinHistory { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Weight of the last hour in the moving hourly average (exponential smoothing factor).</summary>
    public double HourlyAverageWeight { get; set; } = 0.1;

    /// <summary>A sender demoted to blocked automatically returns to probation after this long.</summary>
    public TimeSpan BlockedCoolOff { get; set; } = TimeSpan.FromHours(1);

    /// <summary>A profile not touched for this long is forgotten.</summary>
    public TimeSpan ProfileRetention { get; set; } = TimeSpan.FromDays(90);

    /// <summary>Tier changes kept per subject.</summary>
    public int HistoryEntries { get; set; } = 50;
}
