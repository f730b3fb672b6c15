using Gateway.Common.Redis;
using Gateway.Contracts;
using Gateway.FingerprintFilter.Fingerprinting;
using Gateway.FingerprintFilter.Normalization;
using Gateway.FingerprintFilter.Store;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Gateway.FingerprintFilter;

public static class FingerprintFilterServiceCollectionExtensions
{
    /// <summary>
    /// Registers the fingerprint filter as <see cref="IFingerprintFilter"/>, its options from
    /// <c>Gateway:Fingerprint</c> (validated at start) and its Redis store. The host must register an
    /// <see cref="IFingerprintEventPublisher"/>: where convictions go is the host's decision.
    /// The shared <see cref="IRedisConnection"/> is added from <c>Gateway:Redis</c> unless already registered.
    /// </summary>
    public static IServiceCollection AddFingerprintFilter(
        this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<FingerprintFilterOptions>()
            .Bind(configuration.GetSection(FingerprintFilterOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();

        services.AddOptions<RedisOptions>().Bind(configuration.GetSection(RedisOptions.SectionName));
        services.TryAddSingleton<IRedisConnection, RedisConnection>();
        services.TryAddSingleton(TimeProvider.System);

        services.TryAddSingleton<MessageNormalizer>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IFingerprintAlgorithm, ExactTextFingerprinter>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IFingerprintAlgorithm, AttachmentFingerprinter>());
        services.TryAddSingleton<FingerprintCalculator>();
        services.TryAddSingleton<IFingerprintStore, RedisFingerprintStore>();
        services.TryAddSingleton<IFingerprintFilter, FingerprintFilterService>();
        return services;
    }
}
