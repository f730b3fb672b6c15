using System.Net;
using Gateway.SenderIntelligence.Logging;
using Gateway.SenderIntelligence.Qos;
using Gateway.SenderIntelligence.Store;
using Gateway.V1;

namespace Gateway.SenderIntelligence.Checks;

/// <summary>
/// Records outcomes into the profile and the shared reputation (address, network, sender domain) and applies the
/// tier move they call for: a conviction may push the spam ratio over its limit, a trap hit demotes at once.
/// </summary>
public sealed class OutcomeRecorder
{
    private readonly SenderCheckContext _context;

    public OutcomeRecorder(SenderCheckContext context)
    {
        _context = context;
    }

    /// <summary>The reputation weight of one outcome (higher is better).</summary>
    public double WeightOf(OutcomeKind kind)
    {
        var weights = _context.Options.Global.Reputation;
        return kind switch
        {
            OutcomeKind.Delivered => weights.DeliveredWeight,
            OutcomeKind.Convicted => weights.ConvictedWeight,
            OutcomeKind.UnknownRecipient => weights.UnknownRecipientWeight,
            OutcomeKind.ProtocolError => weights.ProtocolErrorWeight,
            OutcomeKind.TrapHit => weights.TrapHitWeight,
            _ => 0,
        };
    }

    /// <summary>Records an outcome; returns the address's combined reputation after it (0 when it failed).</summary>
    public async Task<double> RecordAsync(
        IPAddress client,
        string? domain,
        OutcomeKind kind,
        int count,
        DateTimeOffset now,
        CancellationToken cancellationToken,
        string? releaseLeaseId = null,
        string? forgetSessionId = null)
    {
        var (profileField, tierField) = kind switch
        {
            OutcomeKind.Convicted => ("sp", "tsp"),
            OutcomeKind.UnknownRecipient => ("uk", "tuk"),
            OutcomeKind.ProtocolError => ("pe", null),
            OutcomeKind.TrapHit => ("th", (string?)null),
            _ => ((string?)null, (string?)null),
        };
        OutcomeResult? result;
        try
        {
            result = await _context.WaitAsync(
                () => _context.Store.RecordOutcomeAsync(new OutcomeArgs(
                    client, domain, now, Math.Clamp(count, 0, 1_000_000), profileField, tierField, WeightOf(kind),
                    _context.Reputation, releaseLeaseId, forgetSessionId)),
                cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (SenderCheckContext.IsStoreFailure(ex))
        {
            _context.Metrics.RecordStoreFailure("outcome");
            SenderIntelligenceLog.FailOpen(_context.Logger, forgetSessionId ?? "-", "outcome", client.ToString(), ex);
            return 0;
        }

        if (result is null)
        {
            // Nothing was counted (a session closing without protocol errors).
            return 0;
        }

        _context.RememberStanding(client, result.Standing, now);
        _context.RememberDomainReputation(domain, result.DomainReputation, now);
        if (_context.LocalEnabled && count > 0)
        {
            var move = kind == OutcomeKind.TrapHit
                ? TrapMove(result.Standing, now)
                : DynamicTierRules.AfterTraffic(result.Standing.Profile, now, _context.Options.Dynamic);
            if (move is not null)
            {
                await _context.MoveAsync(client, move, result.Standing, now).ConfigureAwait(false);
            }
        }

        return _context.AddressReputation(result.Standing);
    }

    private TierMove? TrapMove(SenderStanding standing, DateTimeOffset now)
    {
        var dynamic = _context.Options.Dynamic;
        var current = TierResolver.DynamicTier(standing.Profile, dynamic, now);
        return !dynamic.Enabled || current == SenderTier.Blocked
            ? null
            : DynamicTierRules.Demote(current, DynamicTierRules.CauseSpamTrap, "sent to a spam trap");
    }
}
