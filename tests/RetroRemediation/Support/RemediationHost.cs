using Gateway.Common.Redis;
using Gateway.Contracts;
using Gateway.RetroRemediation.Cache;
using Gateway.Testing;
using Gateway.V1;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gateway.RetroRemediation.Tests.Support;

/// <summary>
/// The tier as a host wires it (AddRetroRemediation over configuration), against the test Redis with
/// a key prefix of its own, so tests never see each other's copies.
/// </summary>
public sealed class RemediationHost : IDisposable
{
    private readonly ServiceProvider _provider;

    private RemediationHost(ServiceProvider provider, CapturedLogs logs)
    {
        _provider = provider;
        Logs = logs;
    }

    public IRetroRemediation Service => _provider.GetRequiredService<IRetroRemediation>();

    public DeliveredMailCache Cache => _provider.GetRequiredService<DeliveredMailCache>();

    public IRedisConnection Redis => _provider.GetRequiredService<IRedisConnection>();

    public CapturedLogs Logs { get; }

    public Task RecordAsync(DeliveryRecord record) => Service.RecordDeliveryAsync(record, CancellationToken.None);

    public Task<RemediationSummary> HandleAsync(FingerprintEvent fingerprintEvent) =>
        Service.HandleFingerprintEventAsync(fingerprintEvent, CancellationToken.None);

    public Task<FindDeliveriesReply> FindAsync(params string[] fingerprints) =>
        Service.FindDeliveriesAsync(
            new FindDeliveriesRequest { Fingerprints = { fingerprints } }, CancellationToken.None);

    /// <summary>Builds the host and validates its options as start-up would.</summary>
    public static RemediationHost Start(IDictionary<string, string?>? settings = null)
    {
        var values = new Dictionary<string, string?>
        {
            ["Gateway:Redis:Configuration"] = TestEnvironment.Require(TestEnvironment.RedisVariable),
            ["Gateway:Redis:KeyPrefix"] = $"gwtest:{Guid.NewGuid():N}:",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        var provider = Build(values, out var logs);
        return new RemediationHost(provider, logs);
    }

    /// <summary>A service provider with the tier registered; start-up validation is run by the caller.</summary>
    public static ServiceProvider Build(IDictionary<string, string?> settings, out CapturedLogs logs)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var captured = new CapturedLogs();
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(captured));
        services.AddRetroRemediation(configuration);
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        provider.GetRequiredService<IStartupValidator>().Validate();
        logs = captured;
        return provider;
    }

    public void Dispose() => _provider.Dispose();
}
