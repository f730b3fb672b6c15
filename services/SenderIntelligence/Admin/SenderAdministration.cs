using System.Net;
using Gateway.SenderIntelligence.Checks;
using Gateway.SenderIntelligence.Logging;
using Gateway.SenderIntelligence.Networks;
using Gateway.SenderIntelligence.Policy;
using Gateway.SenderIntelligence.Qos;
using Gateway.SenderIntelligence.Store;
using Gateway.SenderIntelligence.Subjects;
using Gateway.V1;
using Google.Protobuf.WellKnownTypes;

namespace Gateway.SenderIntelligence.Admin;

/// <summary>
/// show, approve, block and reset for an address, a network or a domain. Approval moves a subject to trusted and a
/// block to blocked, optionally until a date; both take effect on this node at once and on the others within
/// <c>OverrideRefreshInterval</c>. Every change is recorded in the subject's history with time, reason and actor.
/// </summary>
public sealed class SenderAdministration
{
    private static readonly TimeSpan MaxDuration = TimeSpan.FromDays(3650);

    private readonly SenderCheckContext _context;

    public SenderAdministration(SenderCheckContext context)
    {
        _context = context;
    }

    public Task<SenderProfile> ApproveAsync(ApproveSenderRequest request, CancellationToken cancellationToken) =>
        DecideAsync(request.Subject, SenderTier.Trusted, request.Until, request.Reason, request.Actor,
            cancellationToken);

    public Task<SenderProfile> BlockAsync(BlockSenderRequest request, CancellationToken cancellationToken) =>
        DecideAsync(request.Subject, SenderTier.Blocked, request.Until, request.Reason, request.Actor,
            cancellationToken);

    public async Task<SenderProfile> ResetAsync(ResetSenderRequest request, CancellationToken cancellationToken)
    {
        var subject = Parse(request.Subject);
        var now = _context.Time.GetUtcNow();
        var before = await ShowAsync(subject, now, cancellationToken).ConfigureAwait(false);
        var after = subject.Kind == SubjectKind.Address ? SenderTier.Probation : SenderTier.Unspecified;
        var reason = Reason(request.Reason, "reset: approval, block, profile, counters and reputation forgotten");
        var record = new TierChangeRecord(now, before.Tier, after, TierChangeRecord.Admin(request.Actor), reason);
        await _context.WaitAsync(() => _context.Store.ResetAsync(subject, record.Encode()), cancellationToken)
            .ConfigureAwait(false);
        _context.Overrides.Apply(subject, null);
        _context.Standings.Invalidate(subject.Key);
        _context.Metrics.RecordTransition(before.Tier, after, "admin-reset");
        SenderIntelligenceLog.TierChanged(_context.Logger, subject.Canonical, TierNames.Name(before.Tier),
            TierNames.Name(after), record.By, reason);
        return await ShowAsync(subject, now, cancellationToken).ConfigureAwait(false);
    }

    public Task<SenderProfile> ShowAsync(SenderProfileRequest request, CancellationToken cancellationToken) =>
        ShowAsync(Parse(request.Subject), _context.Time.GetUtcNow(), cancellationToken);

    private async Task<SenderProfile> DecideAsync(
        string subjectText,
        SenderTier tier,
        Timestamp? until,
        string reasonText,
        string actor,
        CancellationToken cancellationToken)
    {
        var subject = Parse(subjectText);
        if (subject.Network is { } network && network.PrefixLength < ShortestPrefix(network))
        {
            // 0.0.0.0/0 or ::/0 would block (or trust) every client, loopback and the operator included.
            throw new ArgumentException($"{subject.Canonical} is too wide: a network for an approval or a block is "
                + $"at most /{ShortestPrefix(network)} wide (use the policy file for broader rules)");
        }

        var now = _context.Time.GetUtcNow();
        DateTimeOffset? end = null;
        if (until is not null)
        {
            end = until.ToDateTimeOffset();
            if (end <= now)
            {
                throw new ArgumentException($"the end date {end:u} is already past");
            }

            if (end - now > MaxDuration)
            {
                throw new ArgumentException($"the end date {end:u} is more than ten years away");
            }
        }

        var before = await ShowAsync(subject, now, cancellationToken).ConfigureAwait(false);
        var verb = tier == SenderTier.Trusted ? "approved" : "blocked";
        var reason = Reason(reasonText, $"{verb} by administrator") + (end is { } e ? $" (until {e:u})" : "");
        var entry = new OverrideEntry(tier, end, now, OverrideEntry.Clean(actor), OverrideEntry.Clean(reasonText));
        var record = new TierChangeRecord(now, before.Tier, tier, TierChangeRecord.Admin(actor), reason);
        await _context.WaitAsync(
            () => _context.Store.SetOverrideAsync(subject, entry.Encode(), record.Encode()), cancellationToken)
            .ConfigureAwait(false);
        _context.Overrides.Apply(subject, entry);
        var cause = tier == SenderTier.Trusted ? "admin-approve" : "admin-block";
        _context.Metrics.RecordTransition(before.Tier, tier, cause);
        SenderIntelligenceLog.TierChanged(_context.Logger, subject.Canonical, TierNames.Name(before.Tier),
            TierNames.Name(tier), record.By, reason);
        return await ShowAsync(subject, now, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The widest network an administrator may approve or block at once: a /8 of IPv4, a /32 of IPv6
    /// (a whole provider).</summary>
    private static int ShortestPrefix(IpNetwork network) =>
        network.Family == System.Net.Sockets.AddressFamily.InterNetwork ? 8 : 32;

    private async Task<SenderProfile> ShowAsync(SenderSubject subject, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var stored = await _context.WaitAsync(() => _context.Store.ReadProfileAsync(subject, now, _context.Reputation),
            cancellationToken).ConfigureAwait(false);
        var profile = new SenderProfile
        {
            Subject = subject.Canonical,
            Kind = subject.KindName,
            Reputation = stored.Reputation,
            NetworkReputation = stored.NetworkReputation,
            OpenConnections = stored.OpenConnections,
            Statistics = Statistics(stored.Fields),
        };
        foreach (var line in stored.History)
        {
            if (TierChangeRecord.TryDecode(line, out var change))
            {
                profile.History.Add(change.ToMessage());
            }
        }

        var exact = _context.Overrides.ForSubject(subject);
        if (subject.Kind == SubjectKind.Address)
        {
            await DescribeAddressAsync(profile, subject, stored, now, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            var domainWeight = subject.Kind == SubjectKind.Domain ? _context.Reputation?.DomainWeight ?? 0 : 1;
            profile.CombinedReputation = stored.Reputation * (_context.Reputation is null ? 0 : domainWeight);
            var active = exact is not null && exact.Entry.IsActive(now) ? exact : null;
            profile.Tier = active?.Entry.Tier ?? SenderTier.Unspecified;
            profile.TierSource = active is null ? "" : "admin";
            if (active is not null)
            {
                profile.Limits = _context.Policy.Current.LimitsOf(active.Entry.Tier).ToMessage();
            }
        }

        if (exact is not null && profile.Override is null)
        {
            profile.Override = Describe(exact);
        }

        return profile;
    }

    private async Task DescribeAddressAsync(
        SenderProfile profile, SenderSubject subject, StoredProfile stored, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var address = IPAddress.Parse(subject.Canonical);
        var fields = ProfileFromHash(stored.Fields);
        var standing = new SenderStanding(fields, stored.Reputation, stored.NetworkReputation);
        profile.CombinedReputation = _context.AddressReputation(standing);
        profile.DynamicTier = TierResolver.DynamicTier(fields, _context.Options.Dynamic, now);
        if (fields.TierSinceMs > 0)
        {
            profile.DynamicTierSince = Timestamp.FromDateTimeOffset(DateTimeOffset.FromUnixTimeMilliseconds(
                fields.TierSinceMs));
        }

        profile.DynamicTierReason = fields.TierReason;
        var listed = _context.Lists.Evaluate(address);
        if (listed.List != PolicyListKind.None)
        {
            profile.Tier = listed.List == PolicyListKind.Block ? SenderTier.Blocked : SenderTier.Trusted;
            profile.TierSource = listed.List == PolicyListKind.Block ? "blocklist" : "allowlist";
        }
        else
        {
            var resolution = _context.Resolve(address, null, null, standing, 0, now, atEnvelope: false);
            profile.Tier = resolution.Tier;
            profile.TierSource = resolution.Source;
            profile.PolicyRule = resolution.Rule?.Name ?? "";
            profile.Limits = resolution.Limits.ToMessage();
            if (resolution.Override is not null)
            {
                profile.Override = Describe(resolution.Override);
            }
        }

        if (_context.Options.Global.Enabled)
        {
            var listing = await _context.Global.CheckAsync(address, cancellationToken).ConfigureAwait(false);
            profile.ListedBy.AddRange(listing.Hits.Select(h => $"{h.Name} ({h.Detail}, weight {h.Weight:0.##})"));
        }
    }

    private static SenderOverride Describe(OverrideMatch match) => new()
    {
        Subject = match.Subject.Canonical,
        Tier = match.Entry.Tier,
        Until = match.Entry.Until is { } until ? Timestamp.FromDateTimeOffset(until) : null,
        SetAt = Timestamp.FromDateTimeOffset(match.Entry.SetAt),
        Reason = match.Entry.Reason,
        Actor = match.Entry.Actor,
    };

    private static SenderStatistics Statistics(IReadOnlyDictionary<string, string> fields)
    {
        long L(string name) => fields.TryGetValue(name, out var v) ? ProfileFields.Long(v) ?? 0 : 0;
        Timestamp? T(string name) => L(name) is > 0 and var ms
            ? Timestamp.FromDateTimeOffset(DateTimeOffset.FromUnixTimeMilliseconds(ms))
            : null;
        var messages = L("ms");
        var recipients = L("rc");
        var unknown = L("uk");
        return new SenderStatistics
        {
            FirstSeen = T("fs"),
            LastSeen = T("ls"),
            Connections = L("cn"),
            Messages = messages,
            Recipients = recipients,
            UnknownRecipients = unknown,
            SpamMessages = L("sp"),
            Bytes = L("by"),
            ProtocolErrors = L("pe"),
            TrapHits = L("th"),
            UnknownRecipientRatio = recipients + unknown == 0 ? 0 : unknown / (double)(recipients + unknown),
            SpamRatio = messages == 0 ? 0 : L("sp") / (double)messages,
            MessagesThisHour = L("hc"),
            HourlyAverage = fields.TryGetValue("ha", out var ha) ? ProfileFields.Double(ha) : 0,
            MessagesInTier = L("tn"),
            SpamInTier = L("tsp"),
        };
    }

    private static ProfileFields ProfileFromHash(IReadOnlyDictionary<string, string> fields)
    {
        string F(string name) => fields.TryGetValue(name, out var v) ? v : "";
        var values = new[] { "fs", "tier", "ts", "tr", "tn", "tf", "tsp", "trc", "tuk", "hc", "ha" }
            .Select(n => StackExchange.Redis.RedisResult.Create((StackExchange.Redis.RedisValue)F(n)))
            .ToArray();
        return ProfileFields.Read(values, 0);
    }

    private static SenderSubject Parse(string text) =>
        SenderSubject.TryParse(text, out var subject, out var error) ? subject : throw new ArgumentException(error);

    private static string Reason(string? given, string otherwise) =>
        string.IsNullOrWhiteSpace(given) ? otherwise : OverrideEntry.Clean(given);
}
