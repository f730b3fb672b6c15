using Gateway.FingerprintFilter.Configuration;
using Gateway.FingerprintFilter.Sharing;
using Gateway.FingerprintFilter.Store;
using Gateway.V1;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gateway.FingerprintFilter.Grpc;

/// <summary>
/// The <c>gateway.v1.FingerprintFeed</c> gRPC service: this site's signed feed for peer sites.
/// Subscribe sends everything after the caller's watermark, then each new event as it is learned
/// (woken by the feed's notification, checked at least every heartbeat interval, when an empty batch
/// is sent so idle connections stay open). The caller keeps the watermark; the server keeps no state
/// per subscriber, so a reconnect simply resumes.
/// </summary>
public sealed class FingerprintFeedGrpcService : FingerprintFeed.FingerprintFeedBase
{
    private readonly FeedExporter _exporter;
    private readonly IFeedLog _feed;
    private readonly SharingOptions _options;
    private readonly ILogger<FingerprintFeedGrpcService> _logger;

    public FingerprintFeedGrpcService(
        FeedExporter exporter,
        IFeedLog feed,
        IOptions<FingerprintFilterOptions> options,
        ILogger<FingerprintFeedGrpcService> logger)
    {
        _exporter = exporter;
        _feed = feed;
        _options = options.Value.Sharing;
        _logger = logger;
    }

    public override async Task<SignedFeedBatch> Export(FeedRequest request, ServerCallContext context)
    {
        Admit(request);
        try
        {
            return await _exporter.ExportAsync(request.Watermark, request.MaxEvents, context.CancellationToken);
        }
        catch (FingerprintStoreUnavailableException ex)
        {
            throw new RpcException(new Status(StatusCode.Unavailable, ex.Message));
        }
    }

    public override async Task Subscribe(
        FeedRequest request, IServerStreamWriter<SignedFeedBatch> responseStream, ServerCallContext context)
    {
        Admit(request);
        var token = context.CancellationToken;
        using var appended = new SemaphoreSlim(0, 1);
        await using var subscription = await _feed.SubscribeAsync(() => Release(appended), token);
        var watermark = Math.Max(0, request.Watermark);
        var heartbeatDue = false;
        try
        {
            while (!token.IsCancellationRequested)
            {
                var batch = await _exporter.ExportAsync(watermark, request.MaxEvents, token);
                var parsed = FeedBatch.Parser.ParseFrom(batch.Batch);
                if (parsed.Events.Count > 0 || heartbeatDue)
                {
                    // An empty batch after a quiet interval proves the link (and the site) is alive and
                    // tells the peer its watermark is current.
                    await responseStream.WriteAsync(batch, token);
                    watermark = parsed.ToWatermark;
                    heartbeatDue = false;
                    if (parsed.More)
                    {
                        continue;
                    }
                }

                heartbeatDue = !await appended.WaitAsync(_options.HeartbeatInterval, token);
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // The subscriber went away.
        }
        catch (FingerprintStoreUnavailableException ex)
        {
            throw new RpcException(new Status(StatusCode.Unavailable, ex.Message));
        }
    }

    private void Admit(FeedRequest request)
    {
        if (!_exporter.Enabled)
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition, "this site offers no fingerprint feed"));
        }

        if (_options.AllowedSubscribers.Count > 0
            && !_options.AllowedSubscribers.Contains(request.SubscriberId, StringComparer.OrdinalIgnoreCase))
        {
            FingerprintFilterLog.SubscriberRefused(_logger, request.SubscriberId);
            throw new RpcException(new Status(StatusCode.PermissionDenied, "subscriber not allowed"));
        }
    }

    private static void Release(SemaphoreSlim semaphore)
    {
        try
        {
            semaphore.Release();
        }
        catch (Exception ex) when (ex is SemaphoreFullException or ObjectDisposedException)
        {
            // Already signalled, or the subscription ended.
        }
    }
}
