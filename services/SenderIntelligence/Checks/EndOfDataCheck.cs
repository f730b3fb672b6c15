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
/// The check at the end of DATA: in one store round trip, the bytes-per-hour limit with the real size (a clean
/// message over it is deferred, 451 4.7.1), then the message is counted into the address's and the domain's
/// profiles (totals, spam, the moving hourly average) and the shared reputation (delivered or convicted). The
/// updated profile then decides a tier move: a spam ratio or a volume spike demotes, a clean history promotes.
/// </summary>
public sealed class EndOfDataCheck
{
    private readonly SenderCheckContext _context;
    private readonly OutcomeRecorder _outcomes;

    public EndOfDataCheck(SenderCheckContext context, OutcomeRecorder outcomes)
    {
        _context = context;
        _outcomes = outcomes;
    }

    public async Task<EndOfDataDecision> CheckAsync(EndOfDataRequest request, CancellationToken cancellationToken)
    {
        if (!IpAddressParser.TryParseClient(request.ClientIp, out var client))
        {
            return new EndOfDataDecision { Verdict = SenderReplies.InvalidClientAddressLater() };
        }

        if (_context.Lists.Evaluate(client).List == PolicyListKind.Allow)
        {
            return new EndOfDataDecision
            {
                Verdict = SenderReplies.Accept(SenderReplies.ReasonAllowList), Tier = SenderTier.Trusted,
            };
        }

        var spam = request.Content == ContentVerdict.Spam;
        var domain = DomainNames.OfAddress(request.MailFrom);
        var now = _context.Time.GetUtcNow();
        if (!_context.LocalEnabled)
        {
            await _outcomes.RecordAsync(client, domain, spam ? OutcomeKind.Convicted : OutcomeKind.Delivered, 1, now,
                cancellationToken).ConfigureAwait(false);
            return new EndOfDataDecision { Verdict = SenderReplies.Accept(SenderReplies.ReasonCounted) };
        }

        TierResolution resolution;
        EndOfDataResult result;
        try
        {
            var standing = await _context.StandingAsync(client, now, cancellationToken).ConfigureAwait(false);
            var domainReputation = await _context.DomainReputationAsync(domain, now, cancellationToken)
                .ConfigureAwait(false);
            resolution = _context.Resolve(client, request.Helo, domain, standing, domainReputation, now,
                atEnvelope: true);
            var weights = _context.Options.Global.Reputation;
            result = await _context.WaitAsync(
                () => _context.Store.EndOfDataAsync(new EndOfDataArgs(
                    client, domain, now, request.SizeBytes, request.Recipients, spam, EnforceByteLimit: !spam,
                    resolution.Limits, _context.Options.Dynamic.HourlyAverageWeight,
                    spam ? weights.ConvictedWeight : weights.DeliveredWeight, _context.Reputation)),
                cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (SenderCheckContext.IsStoreFailure(ex))
        {
            _context.Metrics.RecordStoreFailure("data");
            if (_context.Options.FailOpen)
            {
                SenderIntelligenceLog.FailOpen(_context.Logger, request.SessionId, "data", client.ToString(), ex);
                return new EndOfDataDecision { Verdict = SenderReplies.Accept(SenderReplies.ReasonFailOpen) };
            }

            SenderIntelligenceLog.FailClosed(_context.Logger, request.SessionId, "data", client.ToString(), ex);
            return new EndOfDataDecision { Verdict = SenderReplies.StoreUnavailableLater() };
        }

        if (result.OverByteLimit || result.Standing is null)
        {
            SenderIntelligenceLog.LimitReached(_context.Logger, request.SessionId, client.ToString(),
                TierNames.Name(resolution.Tier), "data", SenderReplies.ReasonBytesPerHour);
            return new EndOfDataDecision { Verdict = SenderReplies.BytesPerHour(), Tier = resolution.Tier };
        }

        _context.RememberStanding(client, result.Standing, now);
        _context.RememberDomainReputation(domain, result.DomainReputation, now);
        var tier = resolution.Tier;
        if (DynamicTierRules.AfterTraffic(result.Standing.Profile, now, _context.Options.Dynamic) is { } move
            && await _context.MoveAsync(client, move, result.Standing, now).ConfigureAwait(false)
            && resolution.Source.StartsWith("dynamic", StringComparison.Ordinal))
        {
            tier = move.To;
        }

        return new EndOfDataDecision { Verdict = SenderReplies.Accept(SenderReplies.ReasonCounted), Tier = tier };
    }
}
