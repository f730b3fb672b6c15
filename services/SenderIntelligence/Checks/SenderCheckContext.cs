using System.Net;
using Gateway.SenderIntelligence.Admin;
using Gateway.SenderIntelligence.Configuration;
using Gateway.SenderIntelligence.Global;
using Gateway.SenderIntelligence.Logging;
using Gateway.SenderIntelligence.Policy;
using Gateway.SenderIntelligence.Qos;
using Gateway.SenderIntelligence.Store;
using Gateway.SenderIntelligence.Subjects;
using Gateway.SenderIntelligence.Telemetry;
using Gateway.V1;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Gateway.SenderIntelligence.Checks;

/// <summary>What every check works with, and the steps they share: standings, tier resolution, tier moves.</summary>
public sealed class SenderCheckContext
{
    public SenderCheckContext(
        IOptions<SenderIntelligenceOptions> options,
        PolicyProvider policy,
        OverrideRegistry overrides,
        ISenderStore store,
        GlobalListing global,
        SenderMetrics metrics,
        TimeProvider time,
        ILogger<SenderIntelligenceService> logger)
    {
        Options = options.Value;
        Policy = policy;
        Overrides = overrides;
        Store = store;
        Global = global;
        Metrics = metrics;
        Time = time;
        Logger = logger;
        Lists = LocalSenderPolicy.FromOptions(Options);
        Standings = new StandingCache(Options.Local.StandingCacheTime, Options.Local.StandingCacheEntries);
        var reputation = Options.Global.Reputation;
        Reputation = Options.Global.Enabled && reputation.Enabled
            ? new ReputationParameters(
                reputation.HalfLife, reputation.RejectAtOrBelow, reputation.NetworkWeight, reputation.DomainWeight,
                reputation.Minimum, reputation.Maximum)
            : null;
        Circuit = new StoreCircuit(Options.StoreRetryInterval, time);
        SpamTraps = new HashSet<string>(
            Options.Local.SpamTraps.Select(t => t.Trim().ToLowerInvariant()), StringComparer.Ordinal);
    }

    public SenderIntelligenceOptions Options { get; }

    public PolicyProvider Policy { get; }

    public OverrideRegistry Overrides { get; }

    public ISenderStore Store { get; }

    public GlobalListing Global { get; }

    public SenderMetrics Metrics { get; }

    public TimeProvider Time { get; }

    public ILogger Logger { get; }

    /// <summary>The configured allow and block lists.</summary>
    public LocalSenderPolicy Lists { get; }

    public StandingCache Standings { get; }

    /// <summary>Null when the Global edition or its shared reputation is off.</summary>
    public ReputationParameters? Reputation { get; }

    public IReadOnlySet<string> SpamTraps { get; }

    /// <summary>Open while the store is failing, so checks do not each wait a full timeout.</summary>
    public StoreCircuit Circuit { get; }

    public bool LocalEnabled => Options.Local.Enabled;

    /// <summary>
    /// Failures that mean "the store cannot answer now": a Redis error, an unreachable server (reported as a
    /// connection error or a client timeout), or our own <see cref="SenderIntelligenceOptions.StoreTimeout"/>.
    /// </summary>
    public static bool IsStoreFailure(Exception ex) => ex is RedisException or TimeoutException;

    /// <summary>
    /// Starts a store call and waits for it at most <see cref="SenderIntelligenceOptions.StoreTimeout"/>; while the
    /// store failed moments ago (<see cref="Circuit"/> open) it throws <see cref="SenderStoreUnavailableException"/>
    /// without calling.
    /// </summary>
    public async Task<T> WaitAsync<T>(Func<Task<T>> call, CancellationToken cancellationToken)
    {
        if (!Circuit.TryEnter())
        {
            throw new SenderStoreUnavailableException();
        }

        try
        {
            var result = await call().WaitAsync(Options.StoreTimeout, Time, cancellationToken).ConfigureAwait(false);
            if (Circuit.Succeeded())
            {
                SenderIntelligenceLog.StoreCircuitClosed(Logger);
            }

            return result;
        }
        catch (Exception ex) when (IsStoreFailure(ex))
        {
            if (Circuit.Failed())
            {
                SenderIntelligenceLog.StoreCircuitOpened(Logger, Options.StoreRetryInterval, ex);
            }

            throw;
        }
        catch
        {
            Circuit.Abandoned();
            throw;
        }
    }

    public Task WaitAsync(Func<Task> call, CancellationToken cancellationToken) =>
        WaitAsync(async () =>
        {
            await call().ConfigureAwait(false);
            return true;
        }, cancellationToken);

    /// <summary>The address's standing from the cache, or read from the store (one round trip) when missing.</summary>
    public async Task<SenderStanding> StandingAsync(IPAddress client, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var key = "ip:" + client;
        if (Standings.TryGet(key, now, out var standing))
        {
            return standing;
        }

        standing = await WaitAsync(() => Store.ReadStandingAsync(client, now, Reputation), cancellationToken)
            .ConfigureAwait(false);
        Standings.Set(key, standing, now);
        return standing;
    }

    /// <summary>The sender domain's reputation from the cache, or read from the store when missing.</summary>
    public async Task<double> DomainReputationAsync(string? domain, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        if (domain is null || Reputation is null)
        {
            return 0;
        }

        var key = "dom:" + domain;
        if (Standings.TryGet(key, now, out var standing))
        {
            return standing.Reputation;
        }

        var reputation = await WaitAsync(
                () => Store.ReadDomainReputationAsync(domain, now, Reputation), cancellationToken)
            .ConfigureAwait(false);
        RememberDomainReputation(domain, reputation, now);
        return reputation;
    }

    public void RememberStanding(IPAddress client, SenderStanding standing, DateTimeOffset now) =>
        Standings.Set("ip:" + client, standing, now);

    public void RememberDomainReputation(string? domain, double reputation, DateTimeOffset now)
    {
        if (domain is not null && Reputation is not null)
        {
            Standings.Set("dom:" + domain, new SenderStanding(ProfileFields.Empty, reputation, 0), now);
        }
    }

    /// <summary>Address and network reputation combined (higher is better).</summary>
    public double AddressReputation(SenderStanding standing) =>
        Reputation is null ? 0 : standing.Reputation + (Reputation.NetworkWeight * standing.NetworkReputation);

    /// <summary>
    /// The administrator decision for a sender: a block on the address or the domain wins, else an approval of
    /// either (the domain's first).
    /// </summary>
    public OverrideMatch? DecisionFor(IPAddress client, string? domain, DateTimeOffset now)
    {
        var byAddress = Overrides.ForAddress(client, now);
        var byDomain = Overrides.ForDomain(domain, now);
        if (byAddress?.Entry.Tier == SenderTier.Blocked)
        {
            return byAddress;
        }

        return byDomain ?? byAddress;
    }

    public TierResolution Resolve(
        IPAddress client,
        string? helo,
        string? domain,
        SenderStanding standing,
        double domainReputation,
        DateTimeOffset now,
        bool atEnvelope)
    {
        var reputation = AddressReputation(standing)
            + (Reputation is null || domain is null ? 0 : Reputation.DomainWeight * domainReputation);
        var age = standing.Profile.FirstSeenMs is { } first
            ? TimeSpan.FromMilliseconds(Math.Max(0, now.ToUnixTimeMilliseconds() - first))
            : TimeSpan.Zero;
        // HELO and sender domain are unknown at connect: rules testing them match only from MAIL on.
        var facts = atEnvelope
            ? new SenderFacts(client, helo ?? "", domain ?? "", reputation, age)
            : new SenderFacts(client, null, null, reputation, age);
        return TierResolver.Resolve(Policy.Current, facts, DecisionFor(client, domain, now), standing, Options.Dynamic,
            now);
    }

    /// <summary>
    /// Records a move of the address's dynamic tier (only if no other node recorded a change first) and updates the
    /// cached standing. A store failure is logged and otherwise ignored: the move is decided again on the next
    /// message.
    /// </summary>
    public async Task<bool> MoveAsync(IPAddress client, TierMove move, SenderStanding standing, DateTimeOffset now)
    {
        var record = new TierChangeRecord(now, move.From, move.To, TierChangeRecord.Dynamic, move.Reason);
        var stored = standing.Profile.Tier ?? SenderTier.Probation;
        bool moved;
        try
        {
            moved = await WaitAsync(
                () => Store.TransitionAsync(new TransitionArgs(
                    client, stored, move.To, move.IsPromotion ? move.From : null, now, move.Reason, record.Encode())),
                CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (IsStoreFailure(e))
        {
            Metrics.RecordStoreFailure("transition");
            SenderIntelligenceLog.TransitionFailed(Logger, client.ToString(), TierNames.Name(move.From),
                TierNames.Name(move.To), e);
            return false;
        }

        if (!moved)
        {
            // Another node changed the tier first; read it afresh next time.
            Standings.Invalidate("ip:" + client);
            return false;
        }

        Metrics.RecordTransition(move.From, move.To, move.Cause);
        SenderIntelligenceLog.TierChanged(Logger, SenderSubject.ForAddress(client).Canonical, TierNames.Name(move.From),
            TierNames.Name(move.To), TierChangeRecord.Dynamic, move.Reason);
        var profile = standing.Profile with
        {
            Tier = move.To,
            TierSinceMs = now.ToUnixTimeMilliseconds(),
            TierReason = move.Reason,
            TierMessages = 0,
            TierSpam = 0,
            TierRecipients = 0,
            TierUnknown = 0,
            RampFrom = move.IsPromotion ? move.From : null,
            FirstSeenMs = standing.Profile.FirstSeenMs ?? now.ToUnixTimeMilliseconds(),
        };
        RememberStanding(client, standing with { Profile = profile }, now);
        return true;
    }
}
