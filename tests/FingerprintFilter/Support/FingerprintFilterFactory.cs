using Gateway.Common.Redis;
using Gateway.Contracts;
using Gateway.FingerprintFilter.Configuration;
using Gateway.FingerprintFilter.Fingerprinting;
using Gateway.FingerprintFilter.Learning;
using Gateway.FingerprintFilter.Normalization;
using Gateway.FingerprintFilter.Scoring;
using Gateway.FingerprintFilter.Sharing;
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
            [
                new ExactTextFingerprinter(wrapped), new FuzzyTextFingerprinter(wrapped), new AttachmentFingerprinter(),
                new UrlDomainFingerprinter(wrapped),
            ],
            wrapped,
            NullLogger<FingerprintCalculator>.Instance);
    }

    public static RedisFingerprintStore RedisStore(IRedisConnection redis, FingerprintFilterOptions? options = null) =>
        new(redis, Options.Create(options ?? DefaultOptions()), TimeProvider.System);

    public static ScanScorer Scorer(FingerprintFilterOptions? options = null)
    {
        var wrapped = Options.Create(options ?? DefaultOptions());
        return new ScanScorer(wrapped, new FingerprintAssessor(wrapped));
    }

    public static FingerprintFilterService Service(
        IFingerprintStore store,
        IFingerprintEventPublisher publisher,
        FingerprintFilterOptions? options = null,
        IReporterStore? reporters = null,
        IFeedLog? feed = null,
        HotFingerprintCache? cache = null,
        TimeProvider? time = null)
    {
        var wrapped = Options.Create(options ?? DefaultOptions());
        time ??= TimeProvider.System;
        cache ??= new HotFingerprintCache(store, wrapped, time);
        var scorer = new ScanScorer(wrapped, new FingerprintAssessor(wrapped));
        var learner = new ReportLearner(
            store, reporters ?? new MemoryReporterStore(), wrapped, NullLogger<ReportLearner>.Instance);
        var processor = new ReportProcessor(learner, scorer, cache, publisher, feed ?? new MemoryFeedLog(), wrapped,
            time, NullLogger<ReportProcessor>.Instance);
        return new FingerprintFilterService(Calculator(options), new FingerprintLookup(cache, store), scorer,
            new VerdictBuilder(wrapped), processor, wrapped, time, NullLogger<FingerprintFilterService>.Instance);
    }
}
