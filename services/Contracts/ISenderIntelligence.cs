using Gateway.V1;

namespace Gateway.Contracts;

/// <summary>
/// In-process form of the <c>gateway.v1.SenderIntelligence</c> gRPC service: one method per RPC,
/// same request and reply messages, so cluster mode only swaps the transport.
/// </summary>
public interface ISenderIntelligence
{
    /// <summary>Decides whether a newly connected client may proceed to the greeting.</summary>
    Task<ConnectDecision> CheckConnectAsync(ConnectRequest request, CancellationToken cancellationToken);

    /// <summary>Releases what <see cref="CheckConnectAsync"/> took (the connection lease).</summary>
    Task ReleaseConnectionAsync(ReleaseConnectionRequest request, CancellationToken cancellationToken);
}
