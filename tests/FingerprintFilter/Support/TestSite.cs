using System.Security.Cryptography;
using Gateway.FingerprintFilter.Configuration;
using Gateway.FingerprintFilter.Learning;
using Gateway.FingerprintFilter.Scoring;
using Gateway.FingerprintFilter.Sharing;
using Gateway.FingerprintFilter.Store;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Gateway.FingerprintFilter.Tests.Support;

/// <summary>One site in memory with its own store, feed, signer and peers, for sharing tests.</summary>
public sealed class TestSite : IDisposable
{
    public TestSite(string siteId, ECDsa key, FingerprintFilterOptions options)
    {
        var wrapped = Options.Create(options);
        Cache = new HotFingerprintCache(Store, wrapped, TimeProvider.System);
        var scorer = new ScanScorer(wrapped, new FingerprintAssessor(wrapped));
        var processor = new ReportProcessor(
            new ReportLearner(Store, Reporters, wrapped, NullLogger<ReportLearner>.Instance), scorer, Cache, Publisher,
            Feed, wrapped, TimeProvider.System, NullLogger<ReportProcessor>.Instance);
        Service = FingerprintFilterFactory.Service(Store, Publisher, options, Reporters, Feed, Cache);
        Signer = new FeedSignerProvider(new FeedSigner(key, siteId));
        Exporter = new FeedExporter(Feed, Signer, wrapped, TimeProvider.System);
        Importer = new FeedImporter(processor, Watermarks, wrapped, NullLogger<FeedImporter>.Instance);
    }

    public MemoryFingerprintStore Store { get; } = new();

    public MemoryReporterStore Reporters { get; } = new();

    public MemoryFeedLog Feed { get; } = new();

    public MemoryPeerWatermarkStore Watermarks { get; } = new();

    public RecordingEventPublisher Publisher { get; } = new();

    public HotFingerprintCache Cache { get; }

    public FingerprintFilterService Service { get; }

    public FeedSignerProvider Signer { get; }

    public FeedExporter Exporter { get; }

    public FeedImporter Importer { get; }

    /// <summary>Options for a site named <paramref name="siteId"/> importing from the given peers.</summary>
    public static FingerprintFilterOptions OptionsFor(string siteId, params PeerOptions[] peers)
    {
        var options = FingerprintFilterFactory.DefaultOptions();
        options.Sharing.SiteId = siteId;
        options.Sharing.Peers.AddRange(peers);
        return options;
    }

    public static PeerOptions Peer(string siteId, ECDsa key, double weight, string url = "") => new()
    {
        SiteId = siteId,
        PublicKey = key.ExportSubjectPublicKeyInfoPem(),
        Weight = weight,
        Url = url,
    };

    public void Dispose()
    {
        Signer.Dispose();
        Importer.Dispose();
    }
}
