using Gateway.MtaEdge.Queue;
using Gateway.V1;
using Grpc.Core;

namespace Gateway.MtaEdge.Host.Grpc;

/// <summary>The <c>gateway.v1.MtaEdge</c> gRPC service over the edge's queue.</summary>
public sealed class MtaEdgeGrpcService(IQueueInspector queue) : V1.MtaEdge.MtaEdgeBase
{
    public override Task<QueueStatus> GetQueueStatus(QueueStatusRequest request, ServerCallContext context) =>
        // The Kafka inspector asks the brokers synchronously; keep that off the request thread.
        Task.Run(queue.GetStatus, context.CancellationToken);
}
