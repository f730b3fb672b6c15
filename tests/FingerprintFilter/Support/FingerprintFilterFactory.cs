using Gateway.Common.Redis;
using Gateway.Contracts;
using Gateway.FingerprintFilter.Fingerprinting;
using Gateway.FingerprintFilter.Normalization;
using Gateway.FingerprintFilter.Store;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Gateway.FingerprintFilter.Tests.Support;

/// <summary>Builds the filter's parts by hand with the given options (defaults otherwise).</summary>
public static class FingerprintFilterFactory
{
    public static FingerprintFilterOptions DefaultOptions() => new();

    public static MessageNormalizer Normalizer(FingerprintFilterOptions? options = null) =>
        new(Options.Create(options ?? DefaultOptions()), NullLogger<MessageNormalizer>.Instance);

    public static FingerprintCalculator Calculator(FingerprintFilterOptions? options = null)
    {
        var wrapped = Options.Create(options ?? DefaultOptions());
        return new FingerprintCalculator(
            new MessageNormalizer(wrapped, NullLogger<MessageNormalizer>.Instance),
            [new ExactTextFingerprinter(wrapped), new AttachmentFingerprinter()],
            NullLogger<FingerprintCalculator>.Instance);
    }

    public static RedisFingerprintStore RedisStore(IRedisConnection redis, FingerprintFilterOptions? options = null) =>
        new(redis, Options.Create(options ?? DefaultOptions()), TimeProvider.System);

    public static FingerprintFilterService Service(
        IFingerprintStore store, IFingerprintEventPublisher publisher, FingerprintFilterOptions? options = null) =>
        new(Calculator(options), store, publisher, Options.Create(options ?? DefaultOptions()), TimeProvider.System,
            NullLogger<FingerprintFilterService>.Instance);
}
