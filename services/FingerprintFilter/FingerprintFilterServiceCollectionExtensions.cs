using Gateway.Common.Redis;
using Gateway.Contracts;
using Gateway.FingerprintFilter.Configuration;
using Gateway.FingerprintFilter.Fingerprinting;
using Gateway.FingerprintFilter.Intake;
using Gateway.FingerprintFilter.Learning;
using Gateway.FingerprintFilter.Normalization;
using Gateway.FingerprintFilter.Scoring;
using Gateway.FingerprintFilter.Sharing;
using Gateway.FingerprintFilter.Store;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Gateway.FingerprintFilter;

public static class FingerprintFilterServiceCollectionExtensions
{
    /// <summary>
    /// Registers the fingerprint filter as <see cref="IFingerprintFilter"/>, its options from
    /// <c>Gateway:Fingerprint</c> (validated at start), its Redis stores, the hot cache with its
    /// synchroniser (a hosted service), report intake and sharing. The host must register an
    /// <see cref="IFingerprintEventPublisher"/>: where convictions go is the host's decision. The
    /// shared <see cref="IRedisConnection"/> is added from <c>Gateway:Redis</c> unless already registered.
    /// Map the gRPC services with <c>MapFingerprintFilterGrpc</c>.
    /// </summary>
    public static IServiceCollection AddFingerprintFilter(
        this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<FingerprintFilterOptions>()
            .Bind(configuration.GetSection(FingerprintFilterOptions.SectionName))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor
            .Singleton<IValidateOptions<FingerprintFilterOptions>, FingerprintFilterOptionsValidator>());

        services.AddOptions<RedisOptions>().Bind(configuration.GetSection(RedisOptions.SectionName));
        services.TryAddSingleton<IRedisConnection, RedisConnection>();
        services.TryAddSingleton(TimeProvider.System);

        services.TryAddSingleton<MessageNormalizer>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IFingerprintAlgorithm, ExactTextFingerprinter>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IFingerprintAlgorithm, FuzzyTextFingerprinter>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IFingerprintAlgorithm, AttachmentFingerprinter>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IFingerprintAlgorithm, UrlDomainFingerprinter>());
        services.TryAddSingleton<FingerprintCalculator>();

        services.TryAddSingleton<IFingerprintStore, RedisFingerprintStore>();
        services.TryAddSingleton<IReporterStore, RedisReporterStore>();
        services.TryAddSingleton<IFeedLog, RedisFeedLog>();
        services.TryAddSingleton<HotFingerprintCache>();
        services.TryAddSingleton<FingerprintLookup>();
        services.AddHostedService<HotCacheSynchronizer>();

        services.TryAddSingleton<FingerprintAssessor>();
        services.TryAddSingleton<ScanScorer>();
        services.TryAddSingleton<VerdictBuilder>();
        services.TryAddSingleton<ReportLearner>();
        services.TryAddSingleton<ReportProcessor>();
        services.TryAddSingleton<IFingerprintFilter, FingerprintFilterService>();
        services.TryAddSingleton<IReportIntake, ReportIntake>();

        services.TryAddSingleton<IPeerWatermarkStore, RedisPeerWatermarkStore>();
        services.TryAddSingleton<FeedSignerProvider>();
        services.TryAddSingleton<FeedExporter>();
        services.TryAddSingleton<FeedImporter>();
        services.AddHostedService<PeerSubscriptionService>();
        return services;
    }

    /// <summary>
    /// Swaps the Redis stores for in-process memory ones (call after <see cref="AddFingerprintFilter"/>):
    /// for one-process tools (evaluation, benchmark) and tests. Nothing is shared or kept.
    /// </summary>
    public static IServiceCollection UseInMemoryFingerprintStores(this IServiceCollection services)
    {
        services.Replace(ServiceDescriptor.Singleton<IFingerprintStore>(sp =>
            new MemoryFingerprintStore(sp.GetRequiredService<TimeProvider>())));
        services.Replace(ServiceDescriptor.Singleton<IReporterStore, MemoryReporterStore>());
        services.Replace(ServiceDescriptor.Singleton<IFeedLog, MemoryFeedLog>());
        services.Replace(ServiceDescriptor.Singleton<IPeerWatermarkStore, MemoryPeerWatermarkStore>());
        return services;
    }
}
