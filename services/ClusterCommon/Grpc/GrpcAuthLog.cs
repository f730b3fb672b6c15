using Microsoft.Extensions.Logging;

namespace Gateway.ClusterCommon.Grpc;

internal static partial class GrpcAuthLog
{
    // Information, not Warning: anyone who can reach the port can cause it, and the metric counts them.
    [LoggerMessage(EventId = 7210, EventName = "GrpcCallUnauthenticated", Level = LogLevel.Information,
        Message = "Refused gRPC call {Method} from {Peer}: token {Reason}")]
    public static partial void CallRefused(ILogger logger, string method, string peer, string reason);
}
