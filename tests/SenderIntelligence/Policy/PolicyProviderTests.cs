using Gateway.SenderIntelligence.Configuration;
using Gateway.SenderIntelligence.Policy;
using Gateway.SenderIntelligence.Telemetry;
using Gateway.SenderIntelligence.Tests.Support;
using Gateway.V1;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Xunit;

namespace Gateway.SenderIntelligence.Tests.Policy;

/// <summary>Loading and reloading the policy file; an invalid file never replaces the running policy.</summary>
public sealed class PolicyProviderTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "gw-sender-policy-" + Guid.NewGuid().ToString("N"));
    private readonly SenderMetrics _metrics =
        new(Prometheus.Metrics.WithCustomRegistry(Prometheus.Metrics.NewCustomRegistry()));
    private readonly RecordingLogger<PolicyProvider> _log = new();

    public PolicyProviderTests()
    {
        Directory.CreateDirectory(_dir);
    }

    private string PolicyPath => Path.Combine(_dir, "policy.yaml");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Constructor_NoFile_BuiltInPolicyTrustsLoopback()
    {
        var provider = Create("");

        Assert.Same(SenderPolicy.BuiltIn, provider.Current);
        Assert.Equal(SenderTier.Trusted, provider.Current.Match(
            new SenderFacts(System.Net.IPAddress.Parse("127.0.0.1"), null, null, 0, TimeSpan.Zero))?.Tier);
        Assert.Null(provider.Current.Match(
            new SenderFacts(System.Net.IPAddress.Parse("192.0.2.1"), null, null, 0, TimeSpan.Zero)));
        Assert.False(provider.Reload());
    }

    [Fact]
    public void Constructor_InvalidFile_Throws()
    {
        File.WriteAllText(PolicyPath, "rules:\n  - { name: a, tier: gold }\n");

        var error = Assert.Throws<PolicyFileException>(() => Create(PolicyPath));

        Assert.Equal(2, Assert.Single(error.Errors).Line);
    }

    [Fact]
    public void Reload_ValidThenInvalidThenValid_KeepsTheRunningPolicyMeanwhile()
    {
        File.WriteAllText(PolicyPath, "rules:\n  - { name: first, tier: trusted }\n");
        var provider = Create(PolicyPath);
        var first = provider.Current;

        File.WriteAllText(PolicyPath,
            "rules:\n  - { name: second, tier: trusted }\n  - { name: broken, tier: nope }\n");
        Assert.False(provider.Reload());
        Assert.Same(first, provider.Current);
        var refused = Assert.Single(_log.Entries, e => e.EventName == "SenderPolicyRefused");
        Assert.Contains("line 3", refused.Message, StringComparison.Ordinal);
        Assert.Contains("unknown tier 'nope'", refused.Message, StringComparison.Ordinal);
        Assert.Equal(LogLevel.Error, refused.Level);
        Assert.False(provider.Reload());
        Assert.Single(_log.Entries, e => e.EventName == "SenderPolicyRefused");

        File.WriteAllText(PolicyPath, "rules:\n  - { name: third, tier: standard }\n");
        Assert.True(provider.Reload());
        Assert.Equal("third", Assert.Single(provider.Current.Rules).Name);
        Assert.Equal(1, _metrics.PolicyReloadCount("refused"));
        Assert.Equal(1, _metrics.PolicyReloadCount("loaded"));
    }

    [Fact]
    public async Task Watcher_FileChanges_ReloadedWithoutBeingAsked()
    {
        File.WriteAllText(PolicyPath, "rules:\n  - { name: before, tier: trusted }\n");
        var provider = Create(PolicyPath);
        using var watcher = new PolicyFileWatcher(provider, Options.Create(new SenderIntelligenceOptions
        {
            Local = new LocalEditionOptions { PolicyFile = PolicyPath, PolicyPollInterval = TimeSpan.FromMilliseconds(
                200) },
        }));
        await watcher.StartAsync(default);

        File.WriteAllText(PolicyPath, "rules:\n  - { name: after, tier: trusted }\n");
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (provider.Current.Rules[0].Name != "after" && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        await watcher.StopAsync(default);
        Assert.Equal("after", provider.Current.Rules[0].Name);
    }

    private PolicyProvider Create(string path) => new(
        Options.Create(new SenderIntelligenceOptions { Local = new LocalEditionOptions { PolicyFile = path } }),
        _metrics,
        _log);
}
