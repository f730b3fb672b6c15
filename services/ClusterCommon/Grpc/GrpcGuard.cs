using Grpc.Core;

namespace Gateway.ClusterCommon.Grpc;

/// <summary>
/// Maps a tier's exceptions to gRPC statuses in the server adapters: a malformed request is
/// INVALID_ARGUMENT (the caller's fault, never retried); everything else stays a server error.
/// </summary>
public static class GrpcGuard
{
    public static async Task Run(Func<Task> call)
    {
        try
        {
            await call();
        }
        catch (ArgumentException ex)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, ex.Message));
        }
    }

    public static async Task<T> Run<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (ArgumentException ex)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, ex.Message));
        }
    }
}
