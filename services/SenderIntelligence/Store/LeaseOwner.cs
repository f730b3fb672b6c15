using System.Security.Cryptography;
using System.Text;
using Gateway.SenderIntelligence.Configuration;

namespace Gateway.SenderIntelligence.Store;

/// <summary>
/// Who holds a connection lease. A lease id is "&lt;node&gt;.&lt;run&gt;.&lt;guid&gt;": the node id stays the same
/// across restarts of one gateway (configured as Gateway:Sender:NodeId, else derived from the host name and the
/// data directory), the run id is new for every start. So a node that starts again can tell the leases its killed
/// predecessor never released (its node, another run) from its own live ones, and give them back.
/// </summary>
public sealed class LeaseOwner
{
    // With the run id and a GUID a lease id stays within ConnectCheck.MaxLeaseIdLength (64).
    public const int MaxNodeIdLength = 22;

    public LeaseOwner(string nodeId)
    {
        if (!IsValidNodeId(nodeId))
        {
            throw new ArgumentException(
                $"node id must be 1-{MaxNodeIdLength} ASCII letters, digits, '-' or '_'.", nameof(nodeId));
        }

        NodeId = nodeId;
        RunId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
    }

    public string NodeId { get; }

    public string RunId { get; }

    /// <summary>The prefix of every lease this node has ever taken, in any run.</summary>
    public string NodePrefix => NodeId + ".";

    /// <summary>The prefix of the leases of this run.</summary>
    public string RunPrefix => NodeId + "." + RunId + ".";

    public string NewLeaseId() => RunPrefix + Guid.NewGuid().ToString("N");

    /// <summary>The configured node id, or one derived from the host name and the data directory.</summary>
    public static LeaseOwner Create(SenderIntelligenceOptions options, string? dataDir)
    {
        if (!string.IsNullOrEmpty(options.NodeId))
        {
            return new LeaseOwner(options.NodeId);
        }

        var seed = Environment.MachineName.ToLowerInvariant() + "|" + Path.GetFullPath(dataDir ?? ".");
        return new LeaseOwner("n" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(seed)))[..15]);
    }

    public static bool IsValidNodeId(string nodeId) =>
        nodeId.Length is > 0 and <= MaxNodeIdLength && nodeId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}
