using System.Globalization;
using Gateway.V1;

namespace Gateway.Ctl.Commands;

/// <summary>A <see cref="SenderProfile"/> as lines a person reads.</summary>
public static class SenderProfileWording
{
    public static string Describe(SenderProfile profile)
    {
        var text = new StringWriter();
        var tier = profile.Tier == SenderTier.Unspecified ? "no tier of its own" : "tier " + Tier(profile.Tier);
        var source = string.IsNullOrEmpty(profile.TierSource) ? "" : $" ({Wording.Clean(profile.TierSource)})";
        text.WriteLine($"{Wording.Clean(profile.Subject)} ({Wording.Clean(profile.Kind)}): {tier}{source}");

        if (profile.Override is { } decision)
        {
            var scope = decision.Subject == profile.Subject ? "" : $" as {Wording.Clean(decision.Subject)}";
            var until = decision.Until is null ? "" : $" until {Wording.Time(decision.Until)}";
            var reason = string.IsNullOrEmpty(decision.Reason) ? "" : $": {Wording.Clean(decision.Reason)}";
            var actor = string.IsNullOrEmpty(decision.Actor) ? "" : $" by {Wording.Clean(decision.Actor)}";
            text.WriteLine(
                $"  administrator: {Tier(decision.Tier)}{scope}{until}, "
                + $"set {Wording.Time(decision.SetAt)}{actor}{reason}");
        }

        if (profile.Kind == "address")
        {
            var since = profile.DynamicTierSince is null ? "" : $" since {Wording.Time(profile.DynamicTierSince)}";
            var why = string.IsNullOrEmpty(profile.DynamicTierReason) ? ""
                : $": {Wording.Clean(profile.DynamicTierReason)}";
            text.WriteLine($"  earned tier: {Tier(profile.DynamicTier)}{since}{why}");
        }

        if (!string.IsNullOrEmpty(profile.PolicyRule))
        {
            text.WriteLine($"  policy rule: {Wording.Clean(profile.PolicyRule)}");
        }

        if (profile.Limits is { } limits)
        {
            text.WriteLine("  limits: " + Limits(limits));
        }

        text.WriteLine(profile.Kind == "address"
            ? $"  reputation: {Number(profile.Reputation)} (address), {Number(profile.NetworkReputation)} (network), "
              + $"{Number(profile.CombinedReputation)} combined"
            : $"  reputation: {Number(profile.Reputation)}");
        if (profile.ListedBy.Count > 0)
        {
            text.WriteLine("  listed by: " + string.Join(", ", profile.ListedBy.Select(Wording.Clean)));
        }

        var stats = profile.Statistics ?? new SenderStatistics();
        if (stats.FirstSeen is null)
        {
            text.WriteLine("  never seen");
        }
        else
        {
            var open = profile.Kind == "address"
                ? $", {Wording.Count(profile.OpenConnections, "connection", "connections")} open" : "";
            text.WriteLine($"  seen: first {Wording.Time(stats.FirstSeen)}, last {Wording.Time(stats.LastSeen)}{open}");
            text.WriteLine($"  traffic: {Wording.Count(stats.Messages, "message", "messages")}, "
                + $"{Wording.Count(stats.Recipients, "recipient", "recipients")}, "
                + $"{stats.SpamMessages} spam ({Percent(stats.SpamRatio)}), "
                + $"{stats.UnknownRecipients} unknown recipients ({Percent(stats.UnknownRecipientRatio)}), "
                + $"{Bytes(stats.Bytes)}, {stats.ProtocolErrors} protocol errors, {stats.TrapHits} trap hits");
            text.WriteLine($"  this hour: {Wording.Count(stats.MessagesThisHour, "message", "messages")} "
                + $"(hourly average {Number(stats.HourlyAverage)})");
        }

        if (profile.History.Count == 0)
        {
            text.WriteLine("No tier changes recorded.");
        }
        else
        {
            text.WriteLine("Tier changes (newest first):");
            foreach (var change in profile.History)
            {
                text.WriteLine($"  {Wording.Time(change.At)}  {Tier(change.From)} -> {Tier(change.To)}  "
                    + $"by {Wording.Clean(change.By)}: {Wording.Clean(change.Reason)}");
            }
        }

        return text.ToString();
    }

    public static string Tier(SenderTier tier) => tier switch
    {
        SenderTier.Blocked => "blocked",
        SenderTier.Probation => "probation",
        SenderTier.Standard => "standard",
        SenderTier.Trusted => "trusted",
        _ => "none",
    };

    private static string Limits(TierLimits l) => string.Join(", ",
        $"{Count(l.ConcurrentConnections)} concurrent connections",
        $"{Count(l.ConnectionsPerWindow)} connections per {l.ConnectionWindowSeconds}s",
        $"{Count(l.MessagesPerConnection)} messages per connection",
        $"{Count(l.RecipientsPerMessage)} recipients per message",
        $"{Count(l.MessagesPerHour)} messages per hour",
        $"{(l.BytesPerHour < 0 ? "unlimited" : Bytes(l.BytesPerHour))} per hour",
        $"tarpit {l.TarpitDelayMs} ms");

    private static string Count(long value) =>
        value < 0 ? "unlimited" : value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Number(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    private static string Percent(double ratio) => (ratio * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%";

    private static string Bytes(long bytes) => bytes switch
    {
        >= 1L << 30 => (bytes / (double)(1L << 30)).ToString("0.#", CultureInfo.InvariantCulture) + " GiB",
        >= 1L << 20 => (bytes / (double)(1L << 20)).ToString("0.#", CultureInfo.InvariantCulture) + " MiB",
        >= 1L << 10 => (bytes / (double)(1L << 10)).ToString("0.#", CultureInfo.InvariantCulture) + " KiB",
        _ => Wording.Count(bytes, "byte", "bytes"),
    };
}
