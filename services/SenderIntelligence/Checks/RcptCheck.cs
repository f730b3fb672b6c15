using System.Net;
using Gateway.SenderIntelligence.Decisions;
using Gateway.SenderIntelligence.Logging;
using Gateway.SenderIntelligence.Networks;
using Gateway.SenderIntelligence.Policy;
using Gateway.SenderIntelligence.Qos;
using Gateway.SenderIntelligence.Store;
using Gateway.SenderIntelligence.Subjects;
using Gateway.V1;

namespace Gateway.SenderIntelligence.Checks;

/// <summary>
/// The check at each RCPT TO: a spam trap is refused and counts heavily against the sender; an unknown recipient
/// (the edge tells) is counted into the profile, the shared reputation and the directory-harvest window, and a
/// harvest pattern demotes the sender and defers; a known one counts against recipients per message.
/// </summary>
public sealed class RcptCheck
{
    private readonly SenderCheckContext _context;
    private readonly OutcomeRecorder _outcomes;

    public RcptCheck(SenderCheckContext context, OutcomeRecorder outcomes)
    {
        _context = context;
        _outcomes = outcomes;
    }

    public async Task<RcptDecision> CheckAsync(RcptRequest request, CancellationToken cancellationToken)
    {
        if (!IpAddressParser.TryParseClient(request.ClientIp, out var client))
        {
            return new RcptDecision { Verdict = SenderReplies.InvalidClientAddressLater() };
        }

        if (_context.Lists.Evaluate(client).List == PolicyListKind.Allow)
        {
            return new RcptDecision { Verdict = SenderReplies.Accept(SenderReplies.ReasonAllowList) };
        }

        var domain = DomainNames.OfAddress(request.MailFrom);
        var now = _context.Time.GetUtcNow();

        // Spam trap: nobody legitimate writes to these addresses.
        var recipient = request.Recipient?.Trim().ToLowerInvariant() ?? "";
        if (recipient.Length > 0 && _context.SpamTraps.Contains(recipient))
        {
            SenderIntelligenceLog.SpamTrapHit(_context.Logger, request.SessionId, client.ToString(), recipient);
            await _outcomes.RecordAsync(client, domain, OutcomeKind.TrapHit, 1, now, cancellationToken)
                .ConfigureAwait(false);
            return new RcptDecision { Verdict = SenderReplies.SpamTrap() };
        }

        if (!_context.LocalEnabled)
        {
            if (request.RecipientUnknown)
            {
                await _outcomes.RecordAsync(client, domain, OutcomeKind.UnknownRecipient, 1, now, cancellationToken)
                    .ConfigureAwait(false);
            }

            return new RcptDecision { Verdict = SenderReplies.Accept(SenderReplies.ReasonWithinLimits) };
        }

        SenderStanding standing;
        RcptResult result;
        TierResolution resolution;
        try
        {
            standing = await _context.StandingAsync(client, now, cancellationToken).ConfigureAwait(false);
            var domainReputation = await _context.DomainReputationAsync(domain, now, cancellationToken)
                .ConfigureAwait(false);
            resolution = _context.Resolve(client, request.Helo, domain, standing, domainReputation, now,
                atEnvelope: true);
            if (resolution.Tier == SenderTier.Blocked)
            {
                // Admitted earlier, blocked since (demoted during the session): defer what is left of it.
                return new RcptDecision { Verdict = SenderReplies.DeferredByTier() };
            }

            result = await _context.WaitAsync(
                () => _context.Store.RcptAsync(new RcptArgs(
                    request.SessionId, client, domain, now, _context.Options.ConnectionLeaseTime,
                    _context.Options.Dynamic.HarvestWindow, resolution.Limits, request.RecipientUnknown,
                    _context.Options.Global.Reputation.UnknownRecipientWeight, _context.Reputation)),
                cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (SenderCheckContext.IsStoreFailure(ex))
        {
            _context.Metrics.RecordStoreFailure("rcpt");
            if (_context.Options.FailOpen)
            {
                SenderIntelligenceLog.FailOpen(_context.Logger, request.SessionId, "rcpt", client.ToString(), ex);
                return new RcptDecision { Verdict = SenderReplies.Accept(SenderReplies.ReasonFailOpen) };
            }

            SenderIntelligenceLog.FailClosed(_context.Logger, request.SessionId, "rcpt", client.ToString(), ex);
            return new RcptDecision { Verdict = SenderReplies.StoreUnavailableLater() };
        }

        switch (result.Status)
        {
            case RcptStatus.TooManyRecipients:
                SenderIntelligenceLog.LimitReached(_context.Logger, request.SessionId, client.ToString(),
                    TierNames.Name(resolution.Tier), "rcpt", SenderReplies.ReasonRecipientsPerMessage);
                return new RcptDecision { Verdict = SenderReplies.RecipientsPerMessage() };
            case RcptStatus.UnknownCounted:
                return new RcptDecision { Verdict = await HarvestAsync(request, client, standing, result, now) };
            default:
                return new RcptDecision { Verdict = SenderReplies.Accept(SenderReplies.ReasonWithinLimits) };
        }
    }

    /// <summary>
    /// After an unknown recipient: a harvest pattern demotes the sender once per window (not again for every
    /// further unknown recipient of the same burst) and defers; otherwise the edge refuses the recipient itself.
    /// </summary>
    private async Task<Verdict> HarvestAsync(
        RcptRequest request, IPAddress client, SenderStanding standing, RcptResult result, DateTimeOffset now)
    {
        var dynamic = _context.Options.Dynamic;
        var current = TierResolver.DynamicTier(standing.Profile, dynamic, now);
        var sinceChange = now.ToUnixTimeMilliseconds() - standing.Profile.TierSinceMs;
        var recentlyMoved = standing.Profile.Tier is not null && sinceChange < dynamic.HarvestWindow.TotalMilliseconds;
        var move = DynamicTierRules.AfterUnknownRecipient(current, result.UnknownInWindow, result.TriedInWindow,
            dynamic);
        if (move is null)
        {
            return SenderReplies.Accept(SenderReplies.ReasonUnknownRecipient);
        }

        if (!recentlyMoved)
        {
            await _context.MoveAsync(client, move, standing, now).ConfigureAwait(false);
        }

        SenderIntelligenceLog.LimitReached(_context.Logger, request.SessionId, client.ToString(),
            TierNames.Name(current), "rcpt", SenderReplies.ReasonHarvest);
        return SenderReplies.Harvest();
    }
}
