using Gateway.Common.Configuration;
using Gateway.Common.Redis;
using Gateway.EmbeddedStore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using Xunit;

namespace Gateway.EmbeddedStore.Tests;

public sealed class EmbeddedStoreServiceCollectionExtensionsTests : IDisposable
{
    private readonly TempDirectory _dataDir = new();

    public void Dispose() => _dataDir.Dispose();

    [Fact]
    public void AddEmbeddedRedis_ExternalRedisConfigured_RegistersNothing()
    {
        var configuration = Configuration(("Gateway:Redis:Configuration", "redis.example:6379"));
        var services = new ServiceCollection();

        services.AddEmbeddedRedis(configuration);

        Assert.DoesNotContain(services, d => d.ServiceType == typeof(IRedisEndpointSource));
        Assert.DoesNotContain(services, d => d.ServiceType == typeof(IHostedService));
    }

    [Fact]
    public void AddEmbeddedRedis_InvalidPort_FailsValidation()
    {
        var configuration = Configuration(("Gateway:Redis:EmbeddedPort", "70000"));
        var services = new ServiceCollection().AddLogging();
        services.AddEmbeddedRedis(configuration);
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(
            () => provider.GetRequiredService<IOptions<Configuration.EmbeddedRedisOptions>>().Value);

        Assert.Contains("EmbeddedPort", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddEmbeddedRedis_NoRedisConfigured_HostStartsServerBeforeLaterServices()
    {
        var configuration = Configuration(("Gateway:DataDir", _dataDir.Path));
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddConfiguration(configuration);
        builder.Services.Configure<GatewayOptions>(configuration.GetSection(GatewayOptions.SectionName));
        builder.Services.AddEmbeddedRedis(configuration);
        builder.Services.AddHostedService<WritesAtStart>();
        using var host = builder.Build();

        await host.StartAsync();

        var source = host.Services.GetRequiredService<IRedisEndpointSource>();
        Assert.Same(host.Services.GetRequiredService<EmbeddedRedisServer>(), source);
        await using (var redis = await ConnectionMultiplexer.ConnectAsync(source.GetConfiguration()))
        {
            Assert.Equal("written at start", (string?)await redis.GetDatabase().StringGetAsync("started"));
        }

        await host.StopAsync();
        Assert.True(Directory.Exists(Path.Combine(_dataDir.Path, "state", "checkpoints")));
    }

    private static IConfiguration Configuration(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value)))
            .Build();

    /// <summary>A later hosted service that needs the store from its own start.</summary>
    private sealed class WritesAtStart(IRedisEndpointSource source) : IHostedService
    {
        public async Task StartAsync(CancellationToken cancellationToken)
        {
            await using var redis = await ConnectionMultiplexer.ConnectAsync(source.GetConfiguration());
            await redis.GetDatabase().StringSetAsync("started", "written at start");
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
