using Gateway.Common.Redis;
using Gateway.SenderIntelligence.Configuration;
using Gateway.SenderIntelligence.Leases;
using Gateway.SenderIntelligence.Telemetry;
using Microsoft.Extensions.Options;
using Prometheus;

namespace Gateway.SenderIntelligence.Tests.Support;

/// <summary>A service wired as in production, with its own metrics registry, clock and log.</summary>
internal sealed class SenderHarness
{
    public SenderHarness(SenderIntelligenceOptions options, IConnectionLeaseStore store, TimeProvider? time = null)
    {
        var failures = new SenderIntelligenceOptionsValidator().Validate(null, options);
        if (failures.Failed)
        {
            throw new InvalidOperationException(failures.FailureMessage);
        }

        Store = store;
        Metrics = new SenderMetrics(Prometheus.Metrics.WithCustomRegistry(Prometheus.Metrics.NewCustomRegistry()));
        Log = new RecordingLogger<SenderIntelligenceService>();
        Service = new SenderIntelligenceService(
            Options.Create(options), store, Metrics, time ?? TimeProvider.System, Log);
    }

    public IConnectionLeaseStore Store { get; }

    public SenderMetrics Metrics { get; }

    public RecordingLogger<SenderIntelligenceService> Log { get; }

    public SenderIntelligenceService Service { get; }

    /// <summary>A connection to <paramref name="configuration"/> whose keys live under a prefix of its own.</summary>
    public static RedisConnection Connect(string configuration) =>
        new(Options.Create(new RedisOptions
        {
            Configuration = configuration,
            KeyPrefix = $"test:{Guid.NewGuid():N}:",
        }));
}
