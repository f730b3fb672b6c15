using System.Net;
using Gateway.SenderIntelligence.Configuration;
using Gateway.SenderIntelligence.Networks;

namespace Gateway.SenderIntelligence.Policy;

/// <summary>
/// This gateway's own allow and block lists, from configuration (as opposed to shared intelligence about
/// senders, which other checks will bring).
/// </summary>
public sealed class LocalSenderPolicy
{
    public LocalSenderPolicy(IpNetworkSet allowList, IpNetworkSet blockList)
    {
        AllowList = allowList;
        BlockList = blockList;
    }

    public IpNetworkSet AllowList { get; }

    public IpNetworkSet BlockList { get; }

    /// <summary>Builds the policy from options that passed <see cref="SenderIntelligenceOptionsValidator"/>.</summary>
    public static LocalSenderPolicy FromOptions(SenderIntelligenceOptions options) =>
        new(
            new IpNetworkSet(options.AllowList.Select(IpNetwork.Parse)),
            new IpNetworkSet(options.BlockList.Select(IpNetwork.Parse)));

    /// <summary>
    /// The block list is consulted first: an address in both lists is blocked, since blocking is the
    /// deliberate, narrower act (typically one host carved out of an allowed network).
    /// </summary>
    public PolicyMatch Evaluate(IPAddress client)
    {
        if (BlockList.TryMatch(client, out var blocked))
        {
            return new PolicyMatch(PolicyListKind.Block, blocked);
        }

        if (AllowList.TryMatch(client, out var allowed))
        {
            return new PolicyMatch(PolicyListKind.Allow, allowed);
        }

        return new PolicyMatch(PolicyListKind.None, default);
    }
}
