using Gateway.Common.Security;
using Gateway.FingerprintFilter.Configuration;
using Gateway.V1;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gateway.FingerprintFilter.Sharing;

/// <summary>
/// Keeps a streaming subscription open to every peer configured with a URL and Subscribe, importing
/// each batch as it arrives, resuming from the stored watermark after any failure with a growing delay
/// (1 s doubling to 1 min). Every node may run it: the shared watermark and per-peer deduplication make
/// a batch imported twice harmless.
/// </summary>
public sealed class PeerSubscriptionService : BackgroundService
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan LastRetry = TimeSpan.FromMinutes(1);

    private readonly FeedImporter _importer;
    private readonly IPeerWatermarkStore _watermarks;
    private readonly FingerprintFilterOptions _options;
    private readonly ILogger<PeerSubscriptionService> _logger;

    public PeerSubscriptionService(
        FeedImporter importer,
        IPeerWatermarkStore watermarks,
        IOptions<FingerprintFilterOptions> options,
        ILogger<PeerSubscriptionService> logger)
    {
        _importer = importer;
        _watermarks = watermarks;
        _options = options.Value;
        _logger = logger;
    }

    /// <summary>
    /// Makes the channel to a peer; replaceable for tests (e.g. a handler trusting a test certificate).
    /// </summary>
    public Func<PeerOptions, GrpcChannel> ChannelFactory { get; set; } = peer => GrpcChannel.ForAddress(peer.Url);

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var peers = _importer.Peers.Where(p => p.Subscribe && p.Url.Length > 0).ToList();
        return Task.WhenAll(peers.Select(peer => FollowAsync(peer, stoppingToken)));
    }

    private async Task FollowAsync(PeerOptions peer, CancellationToken stoppingToken)
    {
        var delay = FirstRetry;
        BearerToken? token = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // Made once (it re-reads a rotated file by itself); a file gone since start-up is retried here.
                token ??= peer.TokenFile.Length > 0 ? BearerToken.Create(null, peer.TokenFile, _logger) : null;
                await SubscribeOnceAsync(peer, token, () => delay = FirstRetry, stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                FingerprintFilterLog.PeerSubscriptionFailed(_logger, peer.SiteId, delay, ex);
                if (ex is FeedVerificationException verification)
                {
                    FingerprintFilterLog.FeedRejected(_logger, peer.SiteId, verification.Message);
                }
            }

            try
            {
                await Task.Delay(delay, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            delay = TimeSpan.FromTicks(Math.Min(LastRetry.Ticks, delay.Ticks * 2));
        }
    }

    private async Task SubscribeOnceAsync(
        PeerOptions peer, BearerToken? token, System.Action onBatch, CancellationToken stoppingToken)
    {
        using var channel = ChannelFactory(peer);
        var client = new FingerprintFeed.FingerprintFeedClient(channel);
        var watermark = await _watermarks.GetAsync(peer.SiteId, stoppingToken);
        var subscriberId = peer.SubscriberId.Length > 0 ? peer.SubscriberId : _options.Sharing.SiteId;
        using var call = client.Subscribe(
            new FeedRequest { Watermark = watermark, SubscriberId = subscriberId },
            token is null ? null : new Metadata { { "authorization", token.HeaderValue } },
            cancellationToken: stoppingToken);
        FingerprintFilterLog.PeerSubscribed(_logger, peer.SiteId, peer.Url, watermark);
        await foreach (var batch in call.ResponseStream.ReadAllAsync(stoppingToken))
        {
            await _importer.ImportAsync(batch, stoppingToken);
            onBatch();
        }
    }
}
