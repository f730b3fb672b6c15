using Gateway.Common.Net;
using Gateway.SenderIntelligence.Dnsbl;
using Gateway.SenderIntelligence.Networks;
using Gateway.SenderIntelligence.Subjects;
using Gateway.V1;
using Microsoft.Extensions.Options;

namespace Gateway.SenderIntelligence.Configuration;

/// <summary>
/// Checks every setting and reports all problems at once, each under its configuration key (e.g.
/// <c>Gateway:Sender:BlockList:2</c>), so an operator fixes the whole file in one go. The policy file itself is
/// checked when it is loaded (<see cref="Policy.PolicyFileParser"/>).
/// </summary>
public sealed class SenderIntelligenceOptionsValidator : IValidateOptions<SenderIntelligenceOptions>
{
    private static readonly TimeSpan MinLeaseTime = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxLeaseTime = TimeSpan.FromDays(1);
    private static readonly TimeSpan MinStoreTimeout = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan MaxStoreTimeout = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan MaxYears = TimeSpan.FromDays(3650);

    public ValidateOptionsResult Validate(string? name, SenderIntelligenceOptions options)
    {
        var failures = new List<string>();
        CheckNetworks(options.AllowList, nameof(options.AllowList), failures);
        CheckNetworks(options.BlockList, nameof(options.BlockList), failures);
        Range(options.ConnectionLeaseTime, MinLeaseTime, MaxLeaseTime, nameof(options.ConnectionLeaseTime), failures);
        Range(options.StoreTimeout, MinStoreTimeout, MaxStoreTimeout, nameof(options.StoreTimeout), failures);
        Range(options.StoreRetryInterval, TimeSpan.Zero, MaxStoreTimeout, nameof(options.StoreRetryInterval),
            failures);
        if (options.NodeId.Length > 0 && !Store.LeaseOwner.IsValidNodeId(options.NodeId))
        {
            failures.Add($"{Key(nameof(options.NodeId))} must be 1-{Store.LeaseOwner.MaxNodeIdLength} ASCII letters, "
                + "digits, '-' or '_'.");
        }

        var local = options.Local;
        const string L = nameof(options.Local);
        if (!string.IsNullOrWhiteSpace(local.PolicyFile) && !File.Exists(local.PolicyFile))
        {
            failures.Add($"{Key(L, nameof(local.PolicyFile))} '{local.PolicyFile}' does not exist.");
        }

        Range(local.PolicyPollInterval, TimeSpan.FromMilliseconds(100), TimeSpan.FromHours(1),
            $"{L}:{nameof(local.PolicyPollInterval)}", failures);
        Range(local.StandingCacheTime, TimeSpan.Zero, TimeSpan.FromHours(1), $"{L}:{nameof(local.StandingCacheTime)}",
            failures);
        Range(local.StandingCacheEntries, 1, 10_000_000, $"{L}:{nameof(local.StandingCacheEntries)}", failures);
        Range(local.OverrideRefreshInterval, TimeSpan.FromMilliseconds(100), TimeSpan.FromHours(1),
            $"{L}:{nameof(local.OverrideRefreshInterval)}", failures);
        for (var i = 0; i < local.SpamTraps.Count; i++)
        {
            var trap = local.SpamTraps[i];
            if (DomainNames.OfAddress(trap) is null)
            {
                failures.Add(
                    $"{Key(L, nameof(local.SpamTraps))}:{i} '{trap}' is not an address such as trap@example.com.");
            }
        }

        CheckDynamic(options.Dynamic, failures);
        CheckGlobal(options.Global, failures);

        var postfix = options.PostfixPolicy;
        if (postfix.Enabled && !EndpointParser.TryParse(postfix.Listen, out _))
        {
            failures.Add($"{Key(nameof(options.PostfixPolicy), nameof(postfix.Listen))} must be an address and port " +
                         $"such as 127.0.0.1:10040; got '{postfix.Listen}'.");
        }

        Range(postfix.MaxConnections, 1, 100_000, $"{nameof(options.PostfixPolicy)}:{nameof(postfix.MaxConnections)}",
            failures);
        Range(postfix.IdleTimeout, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1),
            $"{nameof(options.PostfixPolicy)}:{nameof(postfix.IdleTimeout)}", failures);

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void CheckDynamic(DynamicQosOptions d, List<string> failures)
    {
        const string D = "Dynamic";
        if (d.PromotionCeiling is not (SenderTier.Probation or SenderTier.Standard or SenderTier.Trusted))
        {
            failures.Add($"{Key(D, nameof(d.PromotionCeiling))} must be Probation, Standard or Trusted; " +
                         $"got {d.PromotionCeiling}.");
        }

        Range(d.MinTimeInTier, TimeSpan.Zero, MaxYears, $"{D}:{nameof(d.MinTimeInTier)}", failures);
        Range(d.MinCleanMessages, 0, 100_000_000, $"{D}:{nameof(d.MinCleanMessages)}", failures);
        Ratio(d.MaxSpamRatioForPromotion, $"{D}:{nameof(d.MaxSpamRatioForPromotion)}", failures);
        Ratio(d.MaxUnknownRatioForPromotion, $"{D}:{nameof(d.MaxUnknownRatioForPromotion)}", failures);
        Range(d.RampMessages, 0, 100_000_000, $"{D}:{nameof(d.RampMessages)}", failures);
        Ratio(d.DemoteSpamRatio, $"{D}:{nameof(d.DemoteSpamRatio)}", failures);
        Range(d.DemoteSpamMinMessages, 1, 100_000_000, $"{D}:{nameof(d.DemoteSpamMinMessages)}", failures);
        Range(d.HarvestWindow, TimeSpan.FromSeconds(1), TimeSpan.FromDays(1), $"{D}:{nameof(d.HarvestWindow)}",
            failures);
        Range(d.HarvestMinUnknown, 1, 100_000_000, $"{D}:{nameof(d.HarvestMinUnknown)}", failures);
        Ratio(d.HarvestRatio, $"{D}:{nameof(d.HarvestRatio)}", failures);
        if (!double.IsFinite(d.SpikeFactor) || d.SpikeFactor < 1)
        {
            failures.Add($"{Key(D, nameof(d.SpikeFactor))} must be at least 1; got {d.SpikeFactor}.");
        }

        Range(d.SpikeMinMessages, 1, 100_000_000, $"{D}:{nameof(d.SpikeMinMessages)}", failures);
        Range(d.SpikeMinHistory, TimeSpan.Zero, MaxYears, $"{D}:{nameof(d.SpikeMinHistory)}", failures);
        if (!(d.HourlyAverageWeight > 0 && d.HourlyAverageWeight <= 1))
        {
            failures.Add($"{Key(D, nameof(d.HourlyAverageWeight))} must be above 0 and at most 1; " +
                         $"got {d.HourlyAverageWeight}.");
        }

        Range(d.BlockedCoolOff, TimeSpan.FromSeconds(1), MaxYears, $"{D}:{nameof(d.BlockedCoolOff)}", failures);
        Range(d.ProfileRetention, TimeSpan.FromHours(1), MaxYears, $"{D}:{nameof(d.ProfileRetention)}", failures);
        Range(d.HistoryEntries, 1, 10_000, $"{D}:{nameof(d.HistoryEntries)}", failures);
    }

    private static void CheckGlobal(GlobalEditionOptions g, List<string> failures)
    {
        const string G = "Global";
        if (!double.IsFinite(g.Threshold) || g.Threshold <= 0)
        {
            failures.Add($"{Key(G, nameof(g.Threshold))} must be above 0; got {g.Threshold}.");
        }

        var dnsbl = g.Dnsbl;
        const string N = G + ":Dnsbl";
        for (var i = 0; i < dnsbl.Servers.Count; i++)
        {
            try
            {
                DnsClientQuery.ParseServer(dnsbl.Servers[i]);
            }
            catch (FormatException e)
            {
                failures.Add($"{Key(N, nameof(dnsbl.Servers))}:{i} {e.Message}");
            }
        }

        Range(dnsbl.Timeout, TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(30), $"{N}:{nameof(dnsbl.Timeout)}",
            failures);
        Range(dnsbl.MinCacheTime, TimeSpan.Zero, TimeSpan.FromDays(1), $"{N}:{nameof(dnsbl.MinCacheTime)}", failures);
        Range(dnsbl.MaxCacheTime, dnsbl.MinCacheTime, TimeSpan.FromDays(7), $"{N}:{nameof(dnsbl.MaxCacheTime)}",
            failures);
        Range(dnsbl.MaxCacheEntries, 1, 10_000_000, $"{N}:{nameof(dnsbl.MaxCacheEntries)}", failures);
        Range(dnsbl.SelfCheckInterval, TimeSpan.FromMinutes(1), TimeSpan.FromDays(7),
            $"{N}:{nameof(dnsbl.SelfCheckInterval)}", failures);
        var zones = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < dnsbl.Zones.Count; i++)
        {
            var zone = dnsbl.Zones[i];
            var key = $"{Key(N, nameof(dnsbl.Zones))}:{i}";
            if (!DomainNames.TryNormalize(zone.Zone, out var normalized))
            {
                failures.Add($"{key}:Zone '{zone.Zone}' is not a DNS zone name such as dnsbl.example.org.");
            }
            else if (!zones.Add(normalized))
            {
                failures.Add($"{key}:Zone '{zone.Zone}' is listed twice.");
            }

            if (!double.IsFinite(zone.Weight) || zone.Weight == 0)
            {
                failures.Add(
                    $"{key}:Weight must be a non-zero number (negative for an allow list); got {zone.Weight}.");
            }

            if (!ReturnCodeFilter.TryParse(zone.ReturnCodes, out _, out var error))
            {
                failures.Add($"{key}:ReturnCodes {error}.");
            }
        }

        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < g.Feeds.Count; i++)
        {
            var feed = g.Feeds[i];
            var key = $"{Key(G, nameof(g.Feeds))}:{i}";
            if (string.IsNullOrWhiteSpace(feed.Name) || feed.Name.Length > 64
                || !feed.Name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            {
                failures.Add($"{key}:Name '{feed.Name}' must be 1 to 64 letters, digits, '-', '_' or '.'.");
            }
            else if (!names.Add(feed.Name))
            {
                failures.Add($"{key}:Name '{feed.Name}' is used twice.");
            }

            if (string.IsNullOrWhiteSpace(feed.Source))
            {
                failures.Add($"{key}:Source is empty; give a file path or an http(s) URL.");
            }

            if (!double.IsFinite(feed.Weight) || feed.Weight == 0)
            {
                failures.Add(
                    $"{key}:Weight must be a non-zero number (negative for an allow feed); got {feed.Weight}.");
            }

            Range(feed.RefreshInterval, TimeSpan.FromSeconds(10), TimeSpan.FromDays(7),
                $"{G}:Feeds:{i}:RefreshInterval", failures);
            Range(feed.MaxBytes, 1, 16L * 1024 * 1024 * 1024, $"{G}:Feeds:{i}:MaxBytes", failures);
        }

        var r = g.Reputation;
        const string R = G + ":Reputation";
        Range(r.HalfLife, TimeSpan.FromMinutes(1), MaxYears, $"{R}:{nameof(r.HalfLife)}", failures);
        foreach (var (value, setting) in new[]
                 {
                     (r.RejectAtOrBelow, nameof(r.RejectAtOrBelow)), (r.NetworkWeight, nameof(r.NetworkWeight)),
                     (r.DomainWeight, nameof(r.DomainWeight)), (r.Minimum, nameof(r.Minimum)),
                     (r.Maximum, nameof(r.Maximum)), (r.DeliveredWeight, nameof(r.DeliveredWeight)),
                     (r.ConvictedWeight, nameof(r.ConvictedWeight)),
                     (r.UnknownRecipientWeight, nameof(r.UnknownRecipientWeight)),
                     (r.ProtocolErrorWeight, nameof(r.ProtocolErrorWeight)), (r.TrapHitWeight, nameof(r.TrapHitWeight)),
                 })
        {
            if (!double.IsFinite(value) || Math.Abs(value) > 1e9)
            {
                failures.Add($"{Key(R, setting)} must be a finite number; got {value}.");
            }
        }

        if (r.Minimum >= r.Maximum)
        {
            failures.Add($"{Key(R, nameof(r.Minimum))} ({r.Minimum}) must be below {nameof(r.Maximum)} ({r.Maximum}).");
        }

        if (r.NetworkWeight < 0 || r.DomainWeight < 0)
        {
            failures.Add($"{Key(R, nameof(r.NetworkWeight))} and {nameof(r.DomainWeight)} must not be negative.");
        }
    }

    private static void CheckNetworks(List<string>? entries, string listName, List<string> failures)
    {
        if (entries is null)
        {
            return;
        }

        for (var i = 0; i < entries.Count; i++)
        {
            if (!IpNetwork.TryParse(entries[i], out _, out var error))
            {
                failures.Add($"{Key(listName)}:{i} '{entries[i]}' {error}; " +
                             "expected an IP address or a CIDR network such as 192.0.2.0/24 or 2001:db8::/32.");
            }
        }
    }

    private static void Ratio(double value, string setting, List<string> failures)
    {
        if (!(value >= 0 && value <= 1))
        {
            failures.Add($"{Key(setting)} must be between 0 and 1; got {value}.");
        }
    }

    private static void Range(TimeSpan value, TimeSpan min, TimeSpan max, string setting, List<string> failures)
    {
        if (value < min || value > max)
        {
            failures.Add($"{Key(setting)} must be between {min} and {max}; got {value}.");
        }
    }

    private static void Range(long value, long min, long max, string setting, List<string> failures)
    {
        if (value < min || value > max)
        {
            failures.Add($"{Key(setting)} must be between {min} and {max}; got {value}.");
        }
    }

    private static string Key(params string[] setting) =>
        $"{SenderIntelligenceOptions.SectionName}:{string.Join(':', setting)}";
}
