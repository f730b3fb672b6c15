using Gateway.Contracts;
using Gateway.RetroRemediation;
using Gateway.RetroRemediation.Actions;
using Gateway.RetroRemediation.Cache;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gateway.Bench.Remediation;

/// <summary>The tier wired as a host wires it (AddRetroRemediation), with the worker running.</summary>
public sealed class BenchHost : IAsyncDisposable
{
    private readonly ServiceProvider _provider;
    private readonly List<IHostedService> _started = [];

    private BenchHost(ServiceProvider provider)
    {
        _provider = provider;
    }

    public IRetroRemediation Service => _provider.GetRequiredService<IRetroRemediation>();

    public IRemediationQueries Queries => _provider.GetRequiredService<IRemediationQueries>();

    public DeliveredMailCache Cache => _provider.GetRequiredService<DeliveredMailCache>();

    public PendingActionQueue Queue => _provider.GetRequiredService<PendingActionQueue>();

    public static async Task<BenchHost> StartAsync(IDictionary<string, string?> settings, TimeProvider? time = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        if (time is not null)
        {
            services.AddSingleton(time);
        }

        services.AddLogging(b => b.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning));
        services.AddRetroRemediation(configuration);
        var provider = services.BuildServiceProvider();
        provider.GetRequiredService<IStartupValidator>().Validate();
        var host = new BenchHost(provider);
        foreach (var service in provider.GetServices<IHostedService>())
        {
            await service.StartAsync(CancellationToken.None);
            host._started.Add(service);
        }

        return host;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var service in _started)
        {
            await service.StopAsync(CancellationToken.None);
        }

        await _provider.DisposeAsync();
    }
}
