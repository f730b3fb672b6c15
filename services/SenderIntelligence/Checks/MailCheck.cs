using System.Net;
using Gateway.SenderIntelligence.Decisions;
using Gateway.SenderIntelligence.Logging;
using Gateway.SenderIntelligence.Networks;
using Gateway.SenderIntelligence.Policy;
using Gateway.SenderIntelligence.Store;
using Gateway.SenderIntelligence.Subjects;
using Gateway.V1;

namespace Gateway.SenderIntelligence.Checks;

/// <summary>
/// The check at MAIL FROM. HELO and the sender domain are known now, so the tier is decided again (rules on them,
/// an administrator's decision on the domain, the domain's reputation); then, in one store round trip, the domain's
/// reputation, messages per connection, messages per hour and bytes per hour (with the SIZE the client declared).
/// Over a limit the answer is 451 4.7.1, so the client retries later.
/// </summary>
public sealed class MailCheck
{
    private readonly SenderCheckContext _context;

    public MailCheck(SenderCheckContext context)
    {
        _context = context;
    }

    public async Task<MailDecision> CheckAsync(MailRequest request, CancellationToken cancellationToken)
    {
        if (!IpAddressParser.TryParseClient(request.ClientIp, out var client))
        {
            return new MailDecision { Verdict = SenderReplies.InvalidClientAddressLater() };
        }

        var listed = _context.Lists.Evaluate(client);
        if (listed.List == PolicyListKind.Block)
        {
            return new MailDecision
            {
                Verdict = SenderReplies.SenderBlocked(client.ToString()), Tier = SenderTier.Blocked,
            };
        }

        if (listed.List == PolicyListKind.Allow)
        {
            return new MailDecision
            {
                Verdict = SenderReplies.Accept(SenderReplies.ReasonAllowList), Tier = SenderTier.Trusted,
            };
        }

        var domain = DomainNames.OfAddress(request.MailFrom);
        var now = _context.Time.GetUtcNow();
        SenderStanding standing;
        double domainReputation;
        try
        {
            standing = _context.LocalEnabled || _context.Reputation is not null
                ? await _context.StandingAsync(client, now, cancellationToken).ConfigureAwait(false)
                : SenderStanding.New;
            domainReputation = await _context.DomainReputationAsync(domain, now, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (Exception ex) when (SenderCheckContext.IsStoreFailure(ex))
        {
            return new MailDecision { Verdict = Failed(request.SessionId, client, ex) };
        }

        var sender = domain ?? client.ToString();
        if (!_context.LocalEnabled)
        {
            return GlobalOnly(request.SessionId, client, domain, sender, standing, domainReputation, now);
        }

        var resolution = _context.Resolve(client, request.Helo, domain, standing, domainReputation, now,
            atEnvelope: true);
        if (resolution.Tier == SenderTier.Blocked)
        {
            SenderIntelligenceLog.TierBlocked(_context.Logger, request.SessionId, client.ToString(), "mail",
                resolution.Source);
            return new MailDecision { Verdict = SenderReplies.SenderBlocked(sender), Tier = SenderTier.Blocked };
        }

        // Trusted by approval or by a policy rule: not refused for reputation (see ConnectCheck).
        var approved = resolution.Tier == SenderTier.Trusted || resolution.Override?.Entry.Tier == SenderTier.Trusted;
        var reputation = approved && _context.Reputation is { } r ? r with { RejectAtOrBelow = null }
            : _context.Reputation;
        var limits = resolution.Limits;
        MailResult result;
        try
        {
            result = await _context.WaitAsync(
                () => _context.Store.MailAsync(new MailArgs(
                    request.SessionId, client, domain, now, _context.Options.ConnectionLeaseTime, limits,
                    request.DeclaredSize, _context.AddressReputation(standing), reputation)),
                cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (SenderCheckContext.IsStoreFailure(ex))
        {
            return new MailDecision { Verdict = Failed(request.SessionId, client, ex), Tier = resolution.Tier };
        }

        _context.RememberDomainReputation(domain, result.DomainReputation, now);
        var verdict = result.Status switch
        {
            MailStatus.PoorReputation => SenderReplies.SenderPoorReputation(sender),
            MailStatus.TooManyPerConnection => SenderReplies.MessagesPerConnection(),
            MailStatus.TooManyPerHour => SenderReplies.MessagesPerHour(),
            MailStatus.TooManyBytes => SenderReplies.BytesPerHour(),
            _ => SenderReplies.Accept(SenderReplies.ReasonWithinLimits),
        };
        if (result.Status != MailStatus.Admitted)
        {
            SenderIntelligenceLog.LimitReached(_context.Logger, request.SessionId, client.ToString(),
                TierNames.Name(resolution.Tier), "mail", verdict.Reason);
        }

        return new MailDecision
        {
            Verdict = verdict,
            Tier = resolution.Tier,
            Limits = limits.ToMessage(),
            TarpitDelayMs = (long)limits.TarpitDelay.TotalMilliseconds,
        };
    }

    private MailDecision GlobalOnly(
        string sessionId, IPAddress client, string? domain, string sender, SenderStanding standing,
        double domainReputation, DateTimeOffset now)
    {
        var decision = _context.DecisionFor(client, domain, now);
        if (decision?.Entry.Tier == SenderTier.Blocked)
        {
            return new MailDecision { Verdict = SenderReplies.SenderBlocked(sender), Tier = SenderTier.Blocked };
        }

        if (_context.Reputation is { RejectAtOrBelow: { } threshold } rep && decision?.Entry.Tier != SenderTier.Trusted)
        {
            var combined = _context.AddressReputation(standing) + (domain is null ? 0
                : rep.DomainWeight * domainReputation);
            if (combined <= threshold)
            {
                SenderIntelligenceLog.PoorReputation(_context.Logger, sessionId, client.ToString(), "mail", combined,
                    threshold);
                return new MailDecision { Verdict = SenderReplies.SenderPoorReputation(sender) };
            }
        }

        return new MailDecision { Verdict = SenderReplies.Accept(SenderReplies.ReasonWithinLimits) };
    }

    private Verdict Failed(string sessionId, IPAddress client, Exception ex)
    {
        _context.Metrics.RecordStoreFailure("mail");
        if (_context.Options.FailOpen)
        {
            SenderIntelligenceLog.FailOpen(_context.Logger, sessionId, "mail", client.ToString(), ex);
            return SenderReplies.Accept(SenderReplies.ReasonFailOpen);
        }

        SenderIntelligenceLog.FailClosed(_context.Logger, sessionId, "mail", client.ToString(), ex);
        return SenderReplies.StoreUnavailableLater();
    }
}
