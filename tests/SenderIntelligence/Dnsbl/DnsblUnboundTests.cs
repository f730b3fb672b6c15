using System.Net;
using System.Net.Sockets;
using Gateway.SenderIntelligence.Configuration;
using Gateway.SenderIntelligence.Dnsbl;
using Gateway.SenderIntelligence.Tests.Support;
using Gateway.Testing;
using Gateway.V1;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Xunit;
using Action = Gateway.V1.Action;

namespace Gateway.SenderIntelligence.Tests.Dnsbl;

/// <summary>
/// DNS block and allow lists against a real DNS server: the private Unbound of tools/testenv/unbound.sh
/// (GATEWAY_TEST_DNS), never the machine's resolver.
/// </summary>
public sealed class DnsblUnboundTests
{
    private static string Server => TestEnvironment.Get(TestServices.DnsVariable) ?? "127.0.0.1:1";

    [RequiresFact(TestServices.DnsVariable)]
    public async Task CheckConnect_ListedByABlockList_Rejects554NamingTheZone()
    {
        var h = Harness(Zone(TestZones.Block, 1));

        var listed = await h.Service.CheckConnectAsync(Requests.Connect("192.0.2.99"), default);
        var clean = await h.Service.CheckConnectAsync(Requests.Connect("192.0.2.1"), default);

        Assert.Equal(Action.Reject, listed.Verdict.Action);
        Assert.Equal(554, listed.Verdict.SmtpCode);
        Assert.Equal("5.7.1", listed.Verdict.EnhancedCode);
        Assert.Equal("Service unavailable; client [192.0.2.99] blocked using dnsbl.test", listed.Verdict.Text);
        Assert.Equal("dns-list", listed.Verdict.Reason);
        Assert.Equal(["dnsbl.test"], listed.ListedBy);
        Assert.Equal(Action.Accept, clean.Verdict.Action);
        Assert.Empty(clean.ListedBy);
        Assert.Equal(1, h.Metrics.DnsblLookupCount(TestZones.Block, "listed"));
        Assert.Equal(1, h.Metrics.DnsblLookupCount(TestZones.Block, "not-listed"));
        Assert.True(h.Log.Has("SenderListed"));
    }

    [RequiresFact(TestServices.DnsVariable)]
    public async Task Lookup_ReturnCodeFilter_CountsOnlyTheChosenCodes()
    {
        var h = Harness(Zone(TestZones.Block, 1, "127.0.0.2-127.0.0.4"));

        var four = await h.Dnsbl.LookupAsync(IPAddress.Parse("192.0.2.98"), default);
        var ten = await h.Dnsbl.LookupAsync(IPAddress.Parse("192.0.2.97"), default);

        Assert.Equal("127.0.0.4", Assert.Single(four).Detail);
        Assert.Empty(ten);
    }

    [RequiresFact(TestServices.DnsVariable)]
    public async Task CheckConnect_Weights_SummedAgainstTheThreshold()
    {
        var h = Harness(Zone(TestZones.Block, 0.6), Zone(TestZones.Second, 0.6));

        var once = await h.Service.CheckConnectAsync(Requests.Connect("192.0.2.98"), default);
        var twice = await h.Service.CheckConnectAsync(Requests.Connect("192.0.2.96"), default);

        Assert.Equal(Action.Accept, once.Verdict.Action);
        Assert.Equal(["dnsbl.test"], once.ListedBy);
        Assert.Equal(Action.Reject, twice.Verdict.Action);
        Assert.Equal("Service unavailable; client [192.0.2.96] blocked using dnsbl.test, second.test",
            twice.Verdict.Text);
    }

    [RequiresFact(TestServices.DnsVariable)]
    public async Task CheckConnect_AllowListNegativeWeight_OutweighsABlockList()
    {
        var h = Harness(Zone(TestZones.Block, 1), Zone(TestZones.Allow, -1));

        var both = await h.Service.CheckConnectAsync(Requests.Connect("192.0.2.99"), default);

        Assert.Equal(Action.Accept, both.Verdict.Action);
        Assert.Equal(["dnsbl.test", "dnswl.test"], both.ListedBy.Order(StringComparer.Ordinal));
    }

    [RequiresFact(TestServices.DnsVariable)]
    public async Task CheckConnect_IPv6_QueriedInNibbleFormUnlessTheZoneSaysNot()
    {
        var v6 = Harness(Zone(TestZones.Block, 1));
        var v4Only = Harness(Zone(TestZones.Block, 1, ipv6: false));

        var listed = await v6.Service.CheckConnectAsync(Requests.Connect("2001:db8::99"), default);
        var notAsked = await v4Only.Service.CheckConnectAsync(Requests.Connect("2001:db8::99"), default);

        Assert.Equal(Action.Reject, listed.Verdict.Action);
        Assert.Equal("Service unavailable; client [2001:db8::99] blocked using dnsbl.test", listed.Verdict.Text);
        Assert.Equal(Action.Accept, notAsked.Verdict.Action);
        Assert.Equal(0, v4Only.Metrics.DnsblLookupCount(TestZones.Block, "not-listed"));
    }

    [RequiresFact(TestServices.DnsVariable)]
    public async Task SelfCheck_ZonesAnsweringWrongly_DisabledWithAWarning()
    {
        var log = new RecordingLogger<DnsblChecker>();
        var options = Options(Zone(TestZones.Block, 1), Zone(TestZones.Broken, 1), Zone(TestZones.Empty, 1));
        var h = Harness(options);
        var checker = new DnsblChecker(new DnsClientQuery(Microsoft.Extensions.Options.Options.Create(options)),
            Microsoft.Extensions.Options.Options.Create(options), h.Metrics, TimeProvider.System, log);

        await checker.SelfCheckAsync(default);
        var hits = await checker.LookupAsync(IPAddress.Parse("192.0.2.1"), default);

        Assert.Equal([true, false, false], checker.Zones.Select(z => z.Enabled));
        var warnings = log.Entries.Where(e => e.EventName == "SenderDnsblZoneDisabled").Select(e => e.Message).ToList();
        Assert.Equal(2, warnings.Count);
        Assert.Contains(warnings, w => w.Contains("broken.test", StringComparison.Ordinal)
            && w.Contains("1.0.0.127.broken.test is listed", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.Contains("2.0.0.127.empty.test is not listed", StringComparison.Ordinal));
        Assert.Empty(hits);
        Assert.Equal(0, h.Metrics.ZoneEnabled(TestZones.Broken));
        Assert.Equal(1, h.Metrics.ZoneEnabled(TestZones.Block));
    }

    [RequiresFact(TestServices.DnsVariable)]
    public async Task Lookup_SameAddressAgain_AnsweredFromTheCacheWithinTheTtl()
    {
        var clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
        var h = Harness(Options(Zone(TestZones.Block, 1)), clock);

        await h.Dnsbl.LookupAsync(IPAddress.Parse("192.0.2.99"), default);
        await h.Dnsbl.LookupAsync(IPAddress.Parse("192.0.2.99"), default);
        clock.Advance(TimeSpan.FromSeconds(299));
        await h.Dnsbl.LookupAsync(IPAddress.Parse("192.0.2.99"), default);
        clock.Advance(TimeSpan.FromSeconds(2));
        await h.Dnsbl.LookupAsync(IPAddress.Parse("192.0.2.99"), default);

        // Unbound answers with a TTL of 300 s, within [MinCacheTime 1 min, MaxCacheTime 1 h].
        var counts = string.Join(", ", new[] { "cached", "listed", "not-listed", "late", "timeout", "error" }
            .Select(r => $"{r}={h.Metrics.DnsblLookupCount(TestZones.Block, r)}"));
        Assert.True(h.Metrics.DnsblLookupCount(TestZones.Block, "cached") == 2, counts);
        Assert.True(h.Metrics.DnsblLookupCount(TestZones.Block, "listed") == 2, counts);
    }

    [Fact]
    public async Task CheckConnect_SilentDnsServer_AnswersWithinTheTimeoutAsNotListed()
    {
        // A UDP socket that never answers stands for a list server that went away.
        using var silent = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        silent.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var options = Options(Zone("silent-a.test", 1), Zone("silent-b.test", 1));
        options.Global.Dnsbl.Servers = [silent.LocalEndPoint!.ToString()!];
        options.Global.Dnsbl.Timeout = TimeSpan.FromMilliseconds(300);
        var h = Harness(options);
        var started = System.Diagnostics.Stopwatch.StartNew();

        var decision = await h.Service.CheckConnectAsync(Requests.Connect("192.0.2.99"), default);

        Assert.Equal(Action.Accept, decision.Verdict.Action);
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(5), $"took {started.Elapsed}");

        // Each query is counted once as timed out, when it ends (at the same moment as the wait, or just after).
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while ((h.Metrics.DnsblLookupCount("silent-a.test", "timeout") < 1
                || h.Metrics.DnsblLookupCount("silent-b.test", "timeout") < 1) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        Assert.Equal(1, h.Metrics.DnsblLookupCount("silent-a.test", "timeout"));
        Assert.Equal(1, h.Metrics.DnsblLookupCount("silent-b.test", "timeout"));
    }

    private static DnsblZoneOptions Zone(string zone, double weight, string? codes = null, bool ipv6 = true) => new()
    {
        Zone = zone,
        Weight = weight,
        ReturnCodes = codes is null ? [] : [codes],
        Ipv6 = ipv6,
    };

    private static SenderIntelligenceOptions Options(params DnsblZoneOptions[] zones) => new()
    {
        Global = new GlobalEditionOptions
        {
            Threshold = 1,
            // Generous: Unbound answers at once, but a loaded test machine must not turn this into a timeout test.
            Dnsbl = new DnsblOptions { Servers = [Server], Timeout = TimeSpan.FromSeconds(10), Zones = [.. zones] },
            Reputation = new ReputationOptions { Enabled = false },
        },
        Local = new LocalEditionOptions { Enabled = false },
    };

    private static SenderHarness Harness(params DnsblZoneOptions[] zones) => Harness(Options(zones));

    private static SenderHarness Harness(SenderIntelligenceOptions options, TimeProvider? time = null) =>
        new(options, new StubStore(), time, dns: new DnsClientQuery(Microsoft.Extensions.Options.Options.Create(
            options)));
}
