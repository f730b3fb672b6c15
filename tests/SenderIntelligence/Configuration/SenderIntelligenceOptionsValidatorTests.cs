using Gateway.Contracts;
using Gateway.SenderIntelligence.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Xunit;

namespace Gateway.SenderIntelligence.Tests.Configuration;

public sealed class SenderIntelligenceOptionsValidatorTests
{
    private const StringComparison Ordinal = StringComparison.Ordinal;

    [Fact]
    public void Validate_Defaults_Succeed()
    {
        var options = new SenderIntelligenceOptions();

        var result = new SenderIntelligenceOptionsValidator().Validate(null, options);

        Assert.True(result.Succeeded, result.FailureMessage);
        Assert.True(options.Local.Enabled);
        Assert.True(options.Global.Enabled);
        Assert.False(options.PostfixPolicy.Enabled);
        Assert.Equal(TimeSpan.FromMinutes(30), options.ConnectionLeaseTime);
        Assert.True(options.FailOpen);
    }

    [Fact]
    public void Validate_InvalidEntries_EveryOneNamedByKeyAndText()
    {
        var options = new SenderIntelligenceOptions
        {
            AllowList = ["192.0.2.0/24", "not-an-ip"],
            BlockList = ["2001:db8::/32", "203.0.113.7/24", "10.0.0.0/40"],
        };

        var result = new SenderIntelligenceOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        var failures = result.Failures!.ToList();
        Assert.Equal(3, failures.Count);
        Assert.Contains(failures, f => f.StartsWith("Gateway:Sender:AllowList:1 'not-an-ip'", Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Gateway:Sender:BlockList:1 '203.0.113.7/24'", Ordinal)
                                       && f.Contains("did you mean 203.0.113.0/24", Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Gateway:Sender:BlockList:2 '10.0.0.0/40'", Ordinal));
    }

    [Theory]
    [InlineData("00:00:00", "00:00:02", "ConnectionLeaseTime")]
    [InlineData("2.00:00:00", "00:00:02", "ConnectionLeaseTime")]
    [InlineData("00:30:00", "00:00:00", "StoreTimeout")]
    [InlineData("00:30:00", "00:05:00", "StoreTimeout")]
    public void Validate_OutOfRangeNumbers_NameTheSetting(string lease, string timeout, string setting)
    {
        var options = new SenderIntelligenceOptions
        {
            ConnectionLeaseTime = TimeSpan.Parse(lease, System.Globalization.CultureInfo.InvariantCulture),
            StoreTimeout = TimeSpan.Parse(timeout, System.Globalization.CultureInfo.InvariantCulture),
        };

        var result = new SenderIntelligenceOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains("Gateway:Sender:" + setting, result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void AddSenderIntelligence_BoundFromConfiguration_InvalidEntryFailsResolution()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Gateway:Redis:Configuration"] = "127.0.0.1:1",
            ["Gateway:Sender:BlockList:0"] = "192.0.2.0/24",
            ["Gateway:Sender:BlockList:1"] = "192.0.2.300",
        }).Build();
        var services = new ServiceCollection().AddLogging();
        services.AddSenderIntelligence(configuration);
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(
            () => provider.GetRequiredService<IOptions<SenderIntelligenceOptions>>().Value);

        Assert.Contains("Gateway:Sender:BlockList:1 '192.0.2.300'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddSenderIntelligence_ValidConfiguration_ResolvesTheTier()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Gateway:Redis:Configuration"] = "127.0.0.1:1",
            ["Gateway:Sender:AllowList:0"] = "2001:db8::/32",
            ["Gateway:Sender:Local:SpamTraps:0"] = "trap@example.com",
            ["Gateway:Sender:Global:Dnsbl:Zones:0:Zone"] = "dnsbl.example.org",
            ["Gateway:Sender:Global:Dnsbl:Zones:0:ReturnCodes:0"] = "127.0.0.2",
            ["Gateway:Sender:Dynamic:PromotionCeiling"] = "Trusted",
            ["Gateway:Sender:ConnectionLeaseTime"] = "00:10:00",
            ["Gateway:Sender:FailOpen"] = "false",
        }).Build();
        var services = new ServiceCollection().AddLogging(b => b.SetMinimumLevel(LogLevel.None));
        services.AddSenderIntelligence(configuration);
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<SenderIntelligenceOptions>>().Value;
        var tier = provider.GetRequiredService<ISenderIntelligence>();

        Assert.IsType<SenderIntelligenceService>(tier);
        Assert.Equal(["trap@example.com"], options.Local.SpamTraps);
        Assert.Equal("dnsbl.example.org", Assert.Single(options.Global.Dnsbl.Zones).Zone);
        Assert.Equal(Gateway.V1.SenderTier.Trusted, options.Dynamic.PromotionCeiling);
        Assert.Equal(TimeSpan.FromMinutes(10), options.ConnectionLeaseTime);
        Assert.False(options.FailOpen);
        Assert.Equal(["2001:db8::/32"], options.AllowList);
    }

    [Fact]
    public void Validate_NestedSettings_EveryProblemNamedByKey()
    {
        var options = new SenderIntelligenceOptions
        {
            Local = new LocalEditionOptions { PolicyFile = "/nonexistent/policy.yaml", SpamTraps = ["not-an-address"] },
            Dynamic = new DynamicQosOptions { HarvestRatio = 1.5, PromotionCeiling = Gateway.V1.SenderTier.Blocked },
            Global = new GlobalEditionOptions
            {
                Threshold = 0,
                Dnsbl = new DnsblOptions
                {
                    Servers = ["not a server"],
                    Zones =
                    [
                        new DnsblZoneOptions { Zone = "dnsbl.example.org", ReturnCodes = ["127.0.0.9-127.0.0.2"] },
                        new DnsblZoneOptions { Zone = "DNSBL.example.org.", Weight = 0 },
                    ],
                },
                Feeds = [new ReputationFeedOptions { Name = "bad name!", Source = "" }],
                Reputation = new ReputationOptions { Minimum = 10, Maximum = 5 },
            },
            PostfixPolicy = new PostfixPolicyOptions { Enabled = true, Listen = "nowhere" },
        };

        var failures = new SenderIntelligenceOptionsValidator().Validate(null, options).Failures!.ToList();

        foreach (var key in new[]
                 {
                     "Gateway:Sender:Local:PolicyFile", "Gateway:Sender:Local:SpamTraps:0",
                         "Gateway:Sender:Dynamic:HarvestRatio",
                     "Gateway:Sender:Dynamic:PromotionCeiling", "Gateway:Sender:Global:Threshold",
                     "Gateway:Sender:Global:Dnsbl:Servers:0", "Gateway:Sender:Global:Dnsbl:Zones:0:ReturnCodes",
                     "Gateway:Sender:Global:Dnsbl:Zones:1:Zone", "Gateway:Sender:Global:Dnsbl:Zones:1:Weight",
                     "Gateway:Sender:Global:Feeds:0:Name", "Gateway:Sender:Global:Feeds:0:Source",
                     "Gateway:Sender:Global:Reputation:Minimum", "Gateway:Sender:PostfixPolicy:Listen",
                 })
        {
            Assert.Contains(failures, f => f.StartsWith(key, Ordinal));
        }
    }
}
