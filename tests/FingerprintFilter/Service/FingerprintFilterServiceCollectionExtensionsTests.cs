using Gateway.Contracts;
using Gateway.FingerprintFilter.Configuration;
using Gateway.FingerprintFilter.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Xunit;

namespace Gateway.FingerprintFilter.Tests.Service;

public sealed class FingerprintFilterServiceCollectionExtensionsTests
{
    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IFingerprintEventPublisher, RecordingEventPublisher>();
        services.AddFingerprintFilter(configuration);
        return services.BuildServiceProvider(
            new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    [Fact]
    public void AddFingerprintFilter_Configuration_BindsOptionsAndResolvesTheFilter()
    {
        using var provider = Build(new()
        {
            ["Gateway:Fingerprint:MinTextChars"] = "60",
            ["Gateway:Fingerprint:SpamTtl"] = "7.00:00:00",
            ["Gateway:Fingerprint:FailOpen"] = "true",
            ["Gateway:Redis:Configuration"] = "127.0.0.1:1",
        });

        var options = provider.GetRequiredService<IOptions<FingerprintFilterOptions>>().Value;

        Assert.Equal(60, options.MinTextChars);
        Assert.Equal(TimeSpan.FromDays(7), options.SpamTtl);
        Assert.True(options.FailOpen);
        Assert.IsType<FingerprintFilterService>(provider.GetRequiredService<IFingerprintFilter>());
    }

    [Theory]
    [InlineData("Gateway:Fingerprint:MinTextChars", "0")]
    [InlineData("Gateway:Fingerprint:SpamTtl", "00:00:01")]
    [InlineData("Gateway:Fingerprint:MaxMimeParts", "0")]
    public void AddFingerprintFilter_InvalidOption_FailsValidation(string key, string value)
    {
        using var provider = Build(new() { [key] = value });

        Assert.Throws<OptionsValidationException>(
            () => provider.GetRequiredService<IOptions<FingerprintFilterOptions>>().Value);
    }
}
