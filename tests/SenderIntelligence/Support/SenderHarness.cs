using Gateway.Common.Redis;
using Gateway.SenderIntelligence.Admin;
using Gateway.SenderIntelligence.Checks;
using Gateway.SenderIntelligence.Configuration;
using Gateway.SenderIntelligence.Dnsbl;
using Gateway.SenderIntelligence.Feeds;
using Gateway.SenderIntelligence.Global;
using Gateway.SenderIntelligence.Policy;
using Gateway.SenderIntelligence.Store;
using Gateway.SenderIntelligence.Telemetry;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Gateway.SenderIntelligence.Tests.Support;

/// <summary>A service wired as in production, with its own metrics registry, clock, policy and log.</summary>
internal sealed class SenderHarness
{
    public SenderHarness(
        SenderIntelligenceOptions options,
        ISenderStore store,
        TimeProvider? time = null,
        SenderPolicy? policy = null,
        IDnsQuery? dns = null)
    {
        var failures = new SenderIntelligenceOptionsValidator().Validate(null, options);
        if (failures.Failed)
        {
            throw new InvalidOperationException(failures.FailureMessage);
        }

        var wrapped = Options.Create(options);
        Time = time ?? TimeProvider.System;
        Store = store;
        Metrics = new SenderMetrics(Prometheus.Metrics.WithCustomRegistry(Prometheus.Metrics.NewCustomRegistry()));
        Log = new RecordingLogger<SenderIntelligenceService>();
        Policy = new PolicyProvider(policy ?? SenderPolicy.BuiltIn, Metrics, NullLogger<PolicyProvider>.Instance);
        Overrides = new OverrideRegistry();
        Dnsbl = new DnsblChecker(dns ?? new NoDns(), wrapped, Metrics, Time, NullLogger<DnsblChecker>.Instance);
        Feeds = new FeedCatalog(wrapped);
        var global = new GlobalListing(Dnsbl, Feeds, wrapped);
        Context = new SenderCheckContext(wrapped, Policy, Overrides, store, global, Metrics, Time, Log);
        Service = new SenderIntelligenceService(Context);
        Refresher = new OverrideRefresher(Context);
    }

    public ISenderStore Store { get; }

    public TimeProvider Time { get; }

    public SenderMetrics Metrics { get; }

    public RecordingLogger<SenderIntelligenceService> Log { get; }

    public PolicyProvider Policy { get; }

    public OverrideRegistry Overrides { get; }

    public DnsblChecker Dnsbl { get; }

    public FeedCatalog Feeds { get; }

    public SenderCheckContext Context { get; }

    public SenderIntelligenceService Service { get; }

    public OverrideRefresher Refresher { get; }

    /// <summary>A connection to <paramref name="configuration"/> whose keys live under a prefix of its own.</summary>
    public static RedisConnection Connect(string configuration, string? prefix = null) =>
        new(Options.Create(new RedisOptions
        {
            Configuration = configuration,
            KeyPrefix = prefix ?? $"test:{Guid.NewGuid():N}:",
        }));

    /// <summary>DNS that knows no names (no zones are configured where it is used).</summary>
    private sealed class NoDns : IDnsQuery
    {
        public Task<DnsAnswer> QueryAsync(string name, CancellationToken cancellationToken) =>
            Task.FromResult(new DnsAnswer(DnsAnswerStatus.NotFound, [], TimeSpan.Zero));
    }
}
