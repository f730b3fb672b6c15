using Gateway.Common.Redis;
using Gateway.Contracts;
using Gateway.RetroRemediation.Actions;
using Gateway.RetroRemediation.Audit;
using Gateway.RetroRemediation.Cache;
using Gateway.Testing;
using Gateway.V1;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gateway.RetroRemediation.Tests.Support;

/// <summary>
/// The tier as a host wires it (AddRetroRemediation over configuration, hosted services started),
/// against the test Redis with a key prefix of its own, so tests never see each other's copies.
/// </summary>
public sealed class RemediationHost : IAsyncDisposable, IDisposable
{
    private readonly ServiceProvider _provider;
    private readonly List<IHostedService> _started;

    private RemediationHost(ServiceProvider provider, CapturedLogs logs, List<IHostedService> started, string prefix)
    {
        _provider = provider;
        _started = started;
        Logs = logs;
        KeyPrefix = prefix;
    }

    public IRetroRemediation Service => _provider.GetRequiredService<IRetroRemediation>();

    public IRemediationQueries Queries => _provider.GetRequiredService<IRemediationQueries>();

    public DeliveredMailCache Cache => _provider.GetRequiredService<DeliveredMailCache>();

    public PendingActionQueue Queue => _provider.GetRequiredService<PendingActionQueue>();

    public AuditLog Audit => _provider.GetRequiredService<AuditLog>();

    public IRedisConnection Redis => _provider.GetRequiredService<IRedisConnection>();

    public IServiceProvider Services => _provider;

    public CapturedLogs Logs { get; }

    public string KeyPrefix { get; }

    public Task RecordAsync(DeliveryRecord record) => Service.RecordDeliveryAsync(record, CancellationToken.None);

    public Task<RemediationSummary> HandleAsync(FingerprintEvent fingerprintEvent) =>
        Service.HandleFingerprintEventAsync(fingerprintEvent, CancellationToken.None);

    public Task<FindDeliveriesReply> FindAsync(params string[] fingerprints) =>
        Service.FindDeliveriesAsync(
            new FindDeliveriesRequest { Fingerprints = { fingerprints } }, CancellationToken.None);

    /// <summary>
    /// Builds the host, validates its options as start-up would, and starts the pending-action worker.
    /// </summary>
    /// <param name="settings">Configuration values on top of the test Redis.</param>
    /// <param name="keyPrefix">Reuse another host's keys (a restart); a fresh prefix when null.</param>
    /// <param name="startWorker">False to leave the pending list alone (nothing retried in the background).</param>
    /// <param name="configure">More registrations, as a host adds them (e.g. a conviction feedback sink).</param>
    public static async Task<RemediationHost> StartAsync(
        IDictionary<string, string?>? settings = null, string? keyPrefix = null, bool startWorker = true,
        Action<IServiceCollection>? configure = null)
    {
        var prefix = keyPrefix ?? $"gwtest:{Guid.NewGuid():N}:";
        var values = new Dictionary<string, string?>
        {
            ["Gateway:Redis:Configuration"] = TestEnvironment.Require(TestEnvironment.RedisVariable),
            ["Gateway:Redis:KeyPrefix"] = prefix,

            // Tests wait for retries: keep them quick.
            ["Gateway:Remediation:Retry:InitialDelay"] = "00:00:00.200",
            ["Gateway:Remediation:Retry:MaxDelay"] = "00:00:01",
            ["Gateway:Remediation:Retry:PollInterval"] = "00:00:00.100",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        var provider = Build(values, out var logs, configure);
        var started = new List<IHostedService>();
        if (startWorker)
        {
            foreach (var service in provider.GetServices<IHostedService>())
            {
                await service.StartAsync(CancellationToken.None);
                started.Add(service);
            }
        }

        return new RemediationHost(provider, logs, started, prefix);
    }

    /// <summary>A service provider with the tier registered; start-up validation is run by the caller.</summary>
    public static ServiceProvider Build(
        IDictionary<string, string?> settings, out CapturedLogs logs, Action<IServiceCollection>? configure = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var captured = new CapturedLogs();
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(captured));
        services.AddRetroRemediation(configuration);
        configure?.Invoke(services);
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        provider.GetRequiredService<IStartupValidator>().Validate();
        logs = captured;
        return provider;
    }

    /// <summary>Waits (at most <paramref name="timeout"/>) until <paramref name="condition"/> holds.</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"waited {timeout.TotalSeconds:0} s for {what}");
            }

            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var service in _started)
        {
            await service.StopAsync(CancellationToken.None);
        }

        await _provider.DisposeAsync();
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();
}
