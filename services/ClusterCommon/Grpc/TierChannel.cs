using System.Diagnostics;
using Gateway.ClusterCommon.Security;
using Gateway.ClusterCommon.Telemetry;
using Gateway.Common.Security;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.Logging;

namespace Gateway.ClusterCommon.Grpc;

/// <summary>
/// The channel to one tier plus the one way every call to it is made: with a deadline, a client span (whose
/// W3C context travels in the call's metadata), the bearer token when one is configured, metrics, and the
/// optional fail-open answer. A new RPC of a tier is one line in its client adapter.
/// </summary>
public sealed class TierChannel : IDisposable
{
    private static readonly TimeSpan MaxConnectTimeout = TimeSpan.FromSeconds(5);

    private readonly ILogger _logger;
    private readonly BearerToken? _token;

    public TierChannel(string tier, TierClientOptions options, ILoggerFactory loggerFactory)
    {
        Tier = tier;
        Options = options;
        _logger = loggerFactory.CreateLogger("Gateway.ClusterCommon.Grpc." + tier);
        _token = BearerToken.Create(options.GrpcToken, options.GrpcTokenFile, _logger);
        var handler = new SocketsHttpHandler
        {
            EnableMultipleHttp2Connections = true,
            PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
            KeepAlivePingDelay = TimeSpan.FromSeconds(30),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(10),
            ConnectTimeout = options.Deadline < MaxConnectTimeout ? options.Deadline : MaxConnectTimeout,
        };
        if (options.Address.StartsWith("https:", StringComparison.OrdinalIgnoreCase))
        {
            handler.SslOptions = TlsFiles.ClientOptions(options.CertificateFile, options.KeyFile, options.CaFile);
        }

        Channel = GrpcChannel.ForAddress(options.Address, new GrpcChannelOptions
        {
            HttpHandler = handler,
            MaxReceiveMessageSize = options.MaxReceiveMessageBytes,
            MaxSendMessageSize = null,
            LoggerFactory = loggerFactory,
        });
    }

    public string Tier { get; }

    public TierClientOptions Options { get; }

    public GrpcChannel Channel { get; }

    /// <summary>
    /// Makes one unary call. A failure to answer in time (or at all) throws <see cref="RpcException"/>, unless
    /// the tier is configured to fail open and <paramref name="failOpen"/> gives the neutral reply.
    /// </summary>
    public async Task<TReply> CallAsync<TReply>(
        string method,
        Func<CallOptions, AsyncUnaryCall<TReply>> call,
        Func<TReply>? failOpen,
        CancellationToken cancellationToken)
    {
        using var activity = ClusterTelemetry.Source.StartActivity($"{Tier}/{method}", ActivityKind.Client);
        activity?.SetTag("rpc.system", "grpc");
        activity?.SetTag("rpc.service", "gateway.v1." + Tier);
        activity?.SetTag("rpc.method", method);
        var started = Stopwatch.GetTimestamp();
        try
        {
            // The token goes in per call (not as channel credentials, which gRPC only sends over TLS): the
            // cluster's own network is often h2c.
            var headers = _token is null ? null : new Metadata { { "authorization", _token.HeaderValue } };
            var options = new CallOptions(headers,
                deadline: DateTime.UtcNow + Options.Deadline, cancellationToken: cancellationToken);
            using var pending = call(options);
            var reply = await pending.ResponseAsync;
            TierMetrics.Calls.WithLabels(Tier, method, "ok").Inc();
            return reply;
        }
        catch (RpcException ex) when (failOpen is not null && Options.FailOpen && IsUnanswered(ex)
                                      && !cancellationToken.IsCancellationRequested)
        {
            var elapsed = (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            TierMetrics.Calls.WithLabels(Tier, method, "fail_open").Inc();
            TierLog.FailedOpen(_logger, Tier, method, elapsed, ex.StatusCode.ToString());
            activity?.SetTag("gateway.fail_open", true);
            return failOpen();
        }
        catch (RpcException ex)
        {
            var elapsed = (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            TierMetrics.Calls.WithLabels(Tier, method, ex.StatusCode.ToString()).Inc();
            TierLog.CallFailed(_logger, Tier, method, elapsed, ex.StatusCode.ToString(), ex.Status.Detail);
            activity?.SetStatus(ActivityStatusCode.Error, ex.StatusCode.ToString());
            throw;
        }
        finally
        {
            TierMetrics.Seconds.WithLabels(Tier, method).Observe(Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
    }

    /// <summary>The tier did not give an answer (as opposed to answering "your request is wrong").</summary>
    private static bool IsUnanswered(RpcException ex) => ex.StatusCode is StatusCode.DeadlineExceeded
        or StatusCode.Unavailable or StatusCode.ResourceExhausted or StatusCode.Internal or StatusCode.Unknown
        or StatusCode.Aborted or StatusCode.Cancelled;

    public void Dispose() => Channel.Dispose();
}
