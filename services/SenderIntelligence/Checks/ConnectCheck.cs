using System.Net;
using Gateway.SenderIntelligence.Decisions;
using Gateway.SenderIntelligence.Logging;
using Gateway.SenderIntelligence.Networks;
using Gateway.SenderIntelligence.Policy;
using Gateway.SenderIntelligence.Qos;
using Gateway.SenderIntelligence.Store;
using Gateway.V1;

namespace Gateway.SenderIntelligence.Checks;

/// <summary>
/// The check before the greeting, in order: the configured block and allow lists; an administrator's block; the
/// Global edition (DNS lists and feeds, refused at or over the threshold); then the Local edition: the sender's
/// tier (blocked is refused) and, in one store round trip, its shared reputation, concurrent connections (a lease
/// that expires by itself) and connections per window.
/// </summary>
public sealed class ConnectCheck
{
    // Lease ids are our own (node, run and a GUID: at most 58 characters); anything longer in a release is not ours.
    public const int MaxLeaseIdLength = 64;
    private const int MaxLoggedAddressLength = 64;

    private readonly SenderCheckContext _context;

    public ConnectCheck(SenderCheckContext context)
    {
        _context = context;
    }

    /// <param name="takeLease">
    /// False for callers that are never told when the session ends (the Postfix policy listener): no concurrency
    /// lease is taken, the other checks are the same.
    /// </param>
    public async Task<ConnectDecision> CheckAsync(
        ConnectRequest request, CancellationToken cancellationToken, bool takeLease = true)
    {
        var logger = _context.Logger;

        // Address: the edge reports the peer (after any PROXY header); normalise it for lists and keys.
        if (!IpAddressParser.TryParseClient(request.ClientIp, out var client))
        {
            SenderIntelligenceLog.InvalidClientAddress(logger, request.SessionId, Truncate(request.ClientIp));
            return new ConnectDecision { Verdict = SenderReplies.InvalidClientAddress() };
        }

        var clientText = client.ToString();

        // Configured lists: block list before allow list.
        var listed = _context.Lists.Evaluate(client);
        if (listed.List == PolicyListKind.Block)
        {
            SenderIntelligenceLog.Blocked(logger, request.SessionId, clientText, listed.Network.ToString());
            return new ConnectDecision { Verdict = SenderReplies.Blocked(client), Tier = SenderTier.Blocked };
        }

        if (listed.List == PolicyListKind.Allow)
        {
            SenderIntelligenceLog.AllowListed(logger, request.SessionId, clientText, listed.Network.ToString());
            return new ConnectDecision
            {
                Verdict = SenderReplies.Accept(SenderReplies.ReasonAllowList),
                AllowListed = true,
                Tier = SenderTier.Trusted,
            };
        }

        // An administrator's decision on the address (or its network) comes before what the world says.
        var now = _context.Time.GetUtcNow();
        var decision = _context.Overrides.ForAddress(client, now);
        if (decision?.Entry.Tier == SenderTier.Blocked)
        {
            SenderIntelligenceLog.TierBlocked(logger, request.SessionId, clientText, "connect", "admin");
            return new ConnectDecision { Verdict = SenderReplies.TierBlocked(client), Tier = SenderTier.Blocked };
        }

        var approved = decision?.Entry.Tier == SenderTier.Trusted;

        // Global edition: DNS lists and feeds, bounded by the DNS timeout.
        var listing = Global.ListingResult.None;
        if (_context.Options.Global.Enabled && !approved)
        {
            listing = await _context.Global.CheckAsync(client, cancellationToken).ConfigureAwait(false);
            if (_context.Global.Refuses(listing))
            {
                var names = listing.Hits.Where(h => h.Weight > 0).Select(h => h.Name).ToList();
                SenderIntelligenceLog.Listed(logger, request.SessionId, clientText, string.Join(", ", names),
                    listing.Score, _context.Global.Threshold);
                return new ConnectDecision { Verdict = SenderReplies.Listed(client, names), ListedBy = { names } };
            }
        }

        return _context.LocalEnabled
            ? await LocalAsync(request.SessionId, client, listing, approved, takeLease, now, cancellationToken)
                .ConfigureAwait(false)
            : await GlobalOnlyAsync(request.SessionId, client, listing, approved, now, cancellationToken)
                .ConfigureAwait(false);
    }

    /// <summary>Global edition alone: shared reputation, no tiers, no limits, no lease.</summary>
    private async Task<ConnectDecision> GlobalOnlyAsync(
        string sessionId,
        IPAddress client,
        Global.ListingResult listing,
        bool approved,
        DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var reputation = 0.0;
        if (_context.Reputation is { RejectAtOrBelow: { } threshold } && !approved)
        {
            try
            {
                var standing = await _context.StandingAsync(client, now, cancellationToken).ConfigureAwait(false);
                reputation = _context.AddressReputation(standing);
            }
            catch (Exception ex) when (SenderCheckContext.IsStoreFailure(ex))
            {
                return Failed(sessionId, client, ex);
            }

            if (reputation <= threshold)
            {
                SenderIntelligenceLog.PoorReputation(_context.Logger, sessionId, client.ToString(), "connect",
                    reputation, threshold);
                return new ConnectDecision { Verdict = SenderReplies.PoorReputation(client), Reputation = reputation };
            }
        }

        return Accepted(SenderReplies.ReasonWithinLimits, "", SenderTier.Unspecified, null, listing, reputation);
    }

    private async Task<ConnectDecision> LocalAsync(
        string sessionId,
        IPAddress client,
        Global.ListingResult listing,
        bool approved,
        bool takeLease,
        DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var clientText = client.ToString();
        SenderStanding standing;
        try
        {
            standing = await _context.StandingAsync(client, now, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (SenderCheckContext.IsStoreFailure(ex))
        {
            return Failed(sessionId, client, ex);
        }

        // An automatic block whose cool-off is over is recorded as ended before it is looked at.
        if (DynamicTierRules.CoolOffEnded(standing.Profile, now, _context.Options.Dynamic) is { } ended)
        {
            await _context.MoveAsync(client, ended, standing, now).ConfigureAwait(false);
        }

        var resolution = _context.Resolve(client, null, null, standing, 0, now, atEnvelope: false);
        if (resolution.Tier == SenderTier.Blocked)
        {
            SenderIntelligenceLog.TierBlocked(_context.Logger, sessionId, clientText, "connect", resolution.Source);
            return new ConnectDecision { Verdict = SenderReplies.TierBlocked(client), Tier = SenderTier.Blocked };
        }

        // Reputation, concurrency and rate in one script. A sender the operator trusts (approval, or a policy rule
        // such as loopback's) is not refused for its reputation: a busy trusted relay that passes on some spam
        // would otherwise lock itself out.
        var leaseId = takeLease ? _context.Store.NewLeaseId() : "";
        var trusted = approved || resolution.Tier == SenderTier.Trusted;
        var reputation = trusted ? _context.Reputation is { } r ? r with { RejectAtOrBelow = null } : null
            : _context.Reputation;
        Task<ConnectResult>? pending = null;
        ConnectResult result;
        try
        {
            result = await _context.WaitAsync(
                () => pending = _context.Store.ConnectAsync(new ConnectArgs(
                    client, leaseId, now, _context.Options.ConnectionLeaseTime, takeLease, resolution.Limits,
                    reputation)),
                cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The edge gave up on the session; the script may still take the lease, which nobody would release.
            if (takeLease && pending is not null)
            {
                _ = ReleaseIfAcquiredLaterAsync(pending, client, leaseId);
            }

            throw;
        }
        catch (Exception ex) when (SenderCheckContext.IsStoreFailure(ex))
        {
            // Same after our own wait ran out: the script may still run once the store answers.
            if (takeLease && pending is not null)
            {
                _ = ReleaseIfAcquiredLaterAsync(pending, client, leaseId);
            }

            return Failed(sessionId, client, ex);
        }

        _context.RememberStanding(client, result.Standing, now);
        var limits = resolution.Limits;
        switch (result.Status)
        {
            case ConnectStatus.PoorReputation:
                var combined = _context.AddressReputation(result.Standing);
                SenderIntelligenceLog.PoorReputation(_context.Logger, sessionId, clientText, "connect", combined,
                    _context.Reputation?.RejectAtOrBelow ?? 0);
                return new ConnectDecision
                {
                    Verdict = SenderReplies.PoorReputation(client), Tier = resolution.Tier, Reputation = combined,
                };
            case ConnectStatus.TooManyConcurrent:
                SenderIntelligenceLog.ConcurrencyLimit(_context.Logger, sessionId, clientText, result.ActiveLeases,
                    limits.ConcurrentConnections);
                return new ConnectDecision
                {
                    Verdict = SenderReplies.TooManyConnections(client), Tier = resolution.Tier,
                };
            case ConnectStatus.TooManyConnections:
                SenderIntelligenceLog.ConnectionRateLimit(_context.Logger, sessionId, clientText,
                    result.RecentConnections, limits.ConnectionsPerWindow);
                return new ConnectDecision { Verdict = SenderReplies.ConnectionRate(client), Tier = resolution.Tier };
        }

        SenderIntelligenceLog.LeaseTaken(_context.Logger, sessionId, clientText, TierNames.Name(resolution.Tier),
            leaseId, result.ActiveLeases, limits.ConcurrentConnections);
        return Accepted(SenderReplies.ReasonWithinLimits, leaseId, resolution.Tier, limits, listing,
            _context.AddressReputation(result.Standing));
    }

    private ConnectDecision Failed(string sessionId, IPAddress client, Exception ex)
    {
        _context.Metrics.RecordStoreFailure("acquire");
        if (_context.Options.FailOpen)
        {
            SenderIntelligenceLog.FailOpen(_context.Logger, sessionId, "connect", client.ToString(), ex);
            return new ConnectDecision { Verdict = SenderReplies.Accept(SenderReplies.ReasonFailOpen) };
        }

        SenderIntelligenceLog.FailClosed(_context.Logger, sessionId, "connect", client.ToString(), ex);
        return new ConnectDecision { Verdict = SenderReplies.StoreUnavailable() };
    }

    private static ConnectDecision Accepted(
        string reason,
        string leaseId,
        SenderTier tier,
        SenderLimits? limits,
        Global.ListingResult listing,
        double reputation)
    {
        var decision = new ConnectDecision
        {
            Verdict = SenderReplies.Accept(reason),
            LeaseId = leaseId,
            Tier = tier,
            Reputation = reputation,
        };
        if (limits is not null)
        {
            decision.Limits = limits.ToMessage();
            decision.TarpitDelayMs = (long)limits.TarpitDelay.TotalMilliseconds;
        }

        decision.ListedBy.AddRange(listing.Hits.Select(h => h.Name));
        return decision;
    }

    private async Task ReleaseIfAcquiredLaterAsync(Task<ConnectResult> pending, IPAddress client, string leaseId)
    {
        try
        {
            var late = await pending.ConfigureAwait(false);
            if (late.Status == ConnectStatus.Admitted)
            {
                await _context.Store.ReleaseAsync(client, leaseId).ConfigureAwait(false);
            }
        }
        catch (Exception)
        {
            // Background clean-up never surfaces an error: the lease, if it was ever taken, expires after
            // ConnectionLeaseTime, and the failure to take it was already logged and counted.
        }
    }

    private static string Truncate(string? text) =>
        text is null ? "" : text.Length <= MaxLoggedAddressLength ? text : text[..MaxLoggedAddressLength] + "...";
}
