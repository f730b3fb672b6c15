using Gateway.RetroRemediation.Cache;
using Gateway.RetroRemediation.Configuration;
using Gateway.V1;
using Microsoft.Extensions.Options;

namespace Gateway.RetroRemediation.Policy;

/// <summary>
/// Decides, when a copy is recorded, whether remediation must never touch it: a client on the sender
/// intelligence allow list, or a sender in <c>SafeSenders</c> (envelope sender address or domain, or the
/// From: domain). Only the verdict is kept with the copy, not the sender, which keeps entries small;
/// a safe-sender list changed later applies to copies recorded after the change.
/// </summary>
public sealed class SenderExemption
{
    private readonly AddressPatternSet _safeSenders;

    public SenderExemption(IOptions<RetroRemediationOptions> options)
    {
        _safeSenders = new AddressPatternSet(options.Value.SafeSenders);
    }

    public CopyExemption For(DeliveryRecord record)
    {
        if (record.ClientAllowListed)
        {
            return CopyExemption.AllowListedClient;
        }

        if (_safeSenders.IsEmpty)
        {
            return CopyExemption.None;
        }

        return _safeSenders.MatchesAddress(record.EnvelopeSender) || _safeSenders.MatchesDomain(record.FromDomain)
            ? CopyExemption.SafeSender
            : CopyExemption.None;
    }
}
