using System.Globalization;
using Gateway.SenderIntelligence.Configuration;
using Gateway.SenderIntelligence.Policy;
using Gateway.SenderIntelligence.Store;
using Gateway.V1;

namespace Gateway.SenderIntelligence.Qos;

/// <summary>
/// When a sender's own traffic moves it between tiers. Demotions act at once and by one tier: a spam ratio, a
/// volume spike against the sender's own hourly average, a directory-harvest pattern. Promotion is by one tier, only
/// after <see cref="DynamicQosOptions.MinTimeInTier"/> and <see cref="DynamicQosOptions.MinCleanMessages"/> in the
/// current tier with clean ratios, and never above <see cref="DynamicQosOptions.PromotionCeiling"/>; so no run of
/// good messages, however long or fast, lifts a sender more than one tier per interval.
/// </summary>
public static class DynamicTierRules
{
    public const string CausePromotion = "promotion";
    public const string CauseSpam = "spam-ratio";
    public const string CauseSpike = "volume-spike";
    public const string CauseHarvest = "directory-harvest";
    public const string CauseCoolOff = "cool-off";
    public const string CauseSpamTrap = "spam-trap";

    /// <summary>The move a profile calls for after a message or outcome was counted, if any.</summary>
    public static TierMove? AfterTraffic(ProfileFields profile, DateTimeOffset now, DynamicQosOptions options)
    {
        if (!options.Enabled)
        {
            return null;
        }

        var current = TierResolver.DynamicTier(profile, options, now);
        if (current == SenderTier.Blocked)
        {
            return null;
        }

        // Demotion: spam ratio since the last tier change.
        if (profile.TierMessages >= options.DemoteSpamMinMessages && profile.TierMessages > 0)
        {
            var ratio = profile.TierSpam / (double)profile.TierMessages;
            if (ratio >= options.DemoteSpamRatio)
            {
                return Demote(current, CauseSpam,
                    $"spam ratio {Format(ratio)} over {profile.TierMessages} messages "
                    + $"(limit {Format(options.DemoteSpamRatio)})");
            }
        }

        // Demotion: volume spike, for senders with enough history to have an average; once per spike, not again
        // for each further message of the same hour.
        var age = profile.FirstSeenMs is { } first ? now.ToUnixTimeMilliseconds() - first : 0;
        var movedThisHour = profile.Tier is not null && now.ToUnixTimeMilliseconds() - profile.TierSinceMs < 3_600_000;
        if (!movedThisHour && age >= options.SpikeMinHistory.TotalMilliseconds
            && profile.HourMessages >= options.SpikeMinMessages
            && profile.HourMessages > options.SpikeFactor * profile.HourlyAverage)
        {
            return Demote(current, CauseSpike,
                $"{profile.HourMessages} messages this hour "
                + $"against an hourly average of {Format(profile.HourlyAverage)}");
        }

        // Promotion.
        if (current >= options.PromotionCeiling || current >= SenderTier.Trusted)
        {
            return null;
        }

        var since = profile.TierSinceMs > 0 ? profile.TierSinceMs : profile.FirstSeenMs ?? now.ToUnixTimeMilliseconds();
        var inTier = TimeSpan.FromMilliseconds(Math.Max(0, now.ToUnixTimeMilliseconds() - since));
        var clean = profile.TierMessages - profile.TierSpam;
        var spamRatio = profile.TierMessages == 0 ? 0 : profile.TierSpam / (double)profile.TierMessages;
        var tried = profile.TierRecipients + profile.TierUnknown;
        var unknownRatio = tried == 0 ? 0 : profile.TierUnknown / (double)tried;
        if (inTier >= options.MinTimeInTier && clean >= options.MinCleanMessages
            && spamRatio <= options.MaxSpamRatioForPromotion && unknownRatio <= options.MaxUnknownRatioForPromotion)
        {
            return new TierMove(current, current + 1, CausePromotion,
                $"clean history: {clean} clean messages in {FormatSpan(inTier)} as {TierNames.Name(current)}");
        }

        return null;
    }

    /// <summary>The move a directory-harvest pattern calls for, from the RCPT window counts.</summary>
    public static TierMove? AfterUnknownRecipient(
        SenderTier current, double unknownInWindow, double triedInWindow, DynamicQosOptions options)
    {
        if (!options.Enabled || current == SenderTier.Blocked || unknownInWindow < options.HarvestMinUnknown
            || triedInWindow <= 0 || unknownInWindow / triedInWindow < options.HarvestRatio)
        {
            return null;
        }

        return Demote(current, CauseHarvest,
            $"directory harvest: {Math.Round(unknownInWindow)} unknown of {Math.Round(triedInWindow)} recipients in "
            + FormatSpan(options.HarvestWindow));
    }

    /// <summary>An automatic block whose cool-off has passed returns the sender to probation.</summary>
    public static TierMove? CoolOffEnded(ProfileFields profile, DateTimeOffset now, DynamicQosOptions options) =>
        options.Enabled && profile.Tier == SenderTier.Blocked
            && TierResolver.DynamicTier(profile, options, now) == SenderTier.Probation
            ? new TierMove(SenderTier.Blocked, SenderTier.Probation, CauseCoolOff,
                $"automatic block ended after {FormatSpan(options.BlockedCoolOff)}")
            : null;

    public static TierMove Demote(SenderTier current, string cause, string reason) =>
        new(current, current == SenderTier.Blocked ? SenderTier.Blocked : current - 1, cause, reason);

    private static string Format(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    private static string FormatSpan(TimeSpan span) =>
        span.TotalDays >= 1 ? Format(span.TotalDays) + "d"
        : span.TotalHours >= 1 ? Format(span.TotalHours) + "h"
        : span.TotalMinutes >= 1 ? Format(span.TotalMinutes) + "m"
        : Format(span.TotalSeconds) + "s";
}
