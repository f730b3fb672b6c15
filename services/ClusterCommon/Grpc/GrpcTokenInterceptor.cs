using Gateway.ClusterCommon.Hosting;
using Gateway.Common.Security;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gateway.ClusterCommon.Grpc;

/// <summary>
/// Lets a gRPC call through only with the service's bearer token (<c>Gateway:Service:GrpcToken[File]</c>) in
/// its <c>authorization</c> metadata; without a configured token every call passes (loopback, or mutual TLS
/// authenticated the caller already). Health checks always pass: probes carry no credentials.
/// </summary>
public sealed class GrpcTokenInterceptor : Interceptor
{
    private const string HealthServicePrefix = "/grpc.health.v1.Health/";
    private const string Scheme = "Bearer ";

    private readonly BearerToken? _token;
    private readonly ILogger<GrpcTokenInterceptor> _logger;

    public GrpcTokenInterceptor(IOptions<ServiceHostOptions> options, ILogger<GrpcTokenInterceptor> logger)
    {
        _token = BearerToken.Create(options.Value.GrpcToken, options.Value.GrpcTokenFile, logger);
        _logger = logger;
    }

    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request,
        ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        Authenticate(context);
        return continuation(request, context);
    }

    public override Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context,
        ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Authenticate(context);
        return continuation(requestStream, context);
    }

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request,
        IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Authenticate(context);
        return continuation(request, responseStream, context);
    }

    public override Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Authenticate(context);
        return continuation(requestStream, responseStream, context);
    }

    private void Authenticate(ServerCallContext context)
    {
        if (_token is null || context.Method.StartsWith(HealthServicePrefix, StringComparison.Ordinal))
        {
            return;
        }

        var header = context.RequestHeaders.GetValue("authorization");
        string reason;
        if (header is null || !header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            reason = "missing";
        }
        else if (!_token.Matches(header[Scheme.Length..].Trim()))
        {
            reason = "invalid";
        }
        else
        {
            return;
        }

        GrpcAuthMetrics.Refused.WithLabels(reason).Inc();
        GrpcAuthLog.CallRefused(_logger, context.Method, context.Peer, reason);
        throw new RpcException(new Status(StatusCode.Unauthenticated,
            "a valid bearer token is required in the authorization metadata"));
    }
}
