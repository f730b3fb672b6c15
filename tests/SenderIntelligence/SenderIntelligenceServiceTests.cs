using Gateway.SenderIntelligence.Configuration;
using Gateway.SenderIntelligence.Tests.Support;
using Gateway.V1;
using Xunit;
using Action = Gateway.V1.Action;

namespace Gateway.SenderIntelligence.Tests;

/// <summary>Decisions taken from the local lists and the request alone, before or around the lease store.</summary>
public sealed class SenderIntelligenceServiceTests
{
    private static readonly SenderIntelligenceOptions ListOptions = new()
    {
        AllowList = ["192.0.2.0/24", "2001:db8:a11::/48"],
        BlockList = ["198.51.100.0/24", "192.0.2.66", "2001:db8:bad::/48"],
    };

    [Theory]
    [InlineData("198.51.100.23", "198.51.100.23")]
    [InlineData("::ffff:198.51.100.23", "198.51.100.23")]
    [InlineData("2001:db8:bad::25", "2001:db8:bad::25")]
    public async Task CheckConnect_BlockListed_Rejects554WithoutLease(string clientIp, string shownAs)
    {
        var harness = new SenderHarness(ListOptions, new StubStore());

        var decision = await harness.Service.CheckConnectAsync(Requests.Connect(clientIp), CancellationToken.None);

        Assert.Equal(Action.Reject, decision.Verdict.Action);
        Assert.Equal(554, decision.Verdict.SmtpCode);
        Assert.Equal("5.7.1", decision.Verdict.EnhancedCode);
        Assert.Equal($"Access denied: {shownAs} is blocked by local policy", decision.Verdict.Text);
        Assert.Equal("blocklist", decision.Verdict.Reason);
        Assert.Empty(decision.LeaseId);
        Assert.False(decision.AllowListed);
        Assert.Empty(((StubStore)harness.Store).Calls);
        Assert.Equal(1, harness.Metrics.DecisionCount("connect", Action.Reject, "blocklist"));
        Assert.True(harness.Log.Has("SenderBlocked"));
    }

    [Fact]
    public async Task CheckConnect_InBothLists_BlockWins()
    {
        var harness = new SenderHarness(ListOptions, new StubStore());

        var decision = await harness.Service.CheckConnectAsync(Requests.Connect("192.0.2.66"), CancellationToken.None);

        Assert.Equal(Action.Reject, decision.Verdict.Action);
        Assert.Equal("blocklist", decision.Verdict.Reason);
    }

    [Theory]
    [InlineData("192.0.2.10")]
    [InlineData("::ffff:192.0.2.10")]
    [InlineData("2001:db8:a11:1::1")]
    public async Task CheckConnect_AllowListed_AcceptsWithoutLimitOrLease(string clientIp)
    {
        var harness = new SenderHarness(ListOptions, new StubStore());

        // Far more sessions than any tier allows at once: an allow-listed client is never counted.
        for (var i = 0; i < 5; i++)
        {
            var decision = await harness.Service.CheckConnectAsync(Requests.Connect(clientIp), CancellationToken.None);

            Assert.Equal(Action.Accept, decision.Verdict.Action);
            Assert.True(decision.AllowListed);
            Assert.Empty(decision.LeaseId);
            Assert.Equal("allowlist", decision.Verdict.Reason);
            Assert.Equal(0, decision.Verdict.SmtpCode);
        }

        Assert.Empty(((StubStore)harness.Store).Calls);
        Assert.Equal(5, harness.Metrics.DecisionCount("connect", Action.Accept, "allowlist"));
    }

    [Fact]
    public async Task CheckConnect_UnlistedClient_TakesLeaseFromStore()
    {
        var store = new StubStore();
        var harness = new SenderHarness(ListOptions, store);

        var decision = await harness.Service.CheckConnectAsync(Requests.Connect("203.0.113.5"), CancellationToken.None);

        Assert.Equal(Action.Accept, decision.Verdict.Action);
        Assert.Equal("within-limits", decision.Verdict.Reason);
        Assert.Matches("^[0-9a-f]{32}$", decision.LeaseId);
        Assert.False(decision.AllowListed);
        Assert.Equal(SenderTier.Probation, decision.Tier);
        Assert.Equal(500, decision.TarpitDelayMs);
        Assert.Equal(3, decision.Limits.ConcurrentConnections);
        Assert.Equal(["standing:203.0.113.5", "connect:203.0.113.5"], store.Calls.Select(c =>
            $"{c.Operation}:{c.Client}"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-an-address")]
    [InlineData("10.1")]
    public async Task CheckConnect_UnparsableClientAddress_Tempfails421(string clientIp)
    {
        var harness = new SenderHarness(ListOptions, new StubStore());

        var decision = await harness.Service.CheckConnectAsync(Requests.Connect(clientIp), CancellationToken.None);

        Assert.Equal(Action.Tempfail, decision.Verdict.Action);
        Assert.Equal(421, decision.Verdict.SmtpCode);
        Assert.Equal("4.3.0", decision.Verdict.EnhancedCode);
        Assert.Equal("invalid-client-address", decision.Verdict.Reason);
        Assert.True(harness.Log.Has("SenderInvalidClientAddress"));
    }

    [Theory]
    [InlineData("203.0.113.5", "")]
    [InlineData("", "0123456789abcdef0123456789abcdef")]
    [InlineData("203.0.113.5", "this-lease-id-is-far-too-long-to-be-one-of-ours-because-ours-are-32-chars")]
    public async Task ReleaseConnection_NothingUsableToRelease_LeavesStoreAlone(string clientIp, string leaseId)
    {
        var store = new StubStore();
        var harness = new SenderHarness(ListOptions, store);

        await harness.Service.ReleaseConnectionAsync(Requests.Release(clientIp, leaseId), CancellationToken.None);

        Assert.Empty(store.Calls);
        Assert.True(harness.Log.Has("SenderReleaseIgnored"));
    }

    [Fact]
    public async Task ReleaseConnection_MappedAddress_ReleasesUnderIPv4()
    {
        var store = new StubStore();
        var harness = new SenderHarness(ListOptions, store);

        await harness.Service.ReleaseConnectionAsync(
            Requests.Release("::ffff:203.0.113.5", "0123456789abcdef0123456789abcdef"), CancellationToken.None);

        var call = Assert.Single(store.Calls);
        Assert.Equal("203.0.113.5", call.Client);
        Assert.Equal("release:0123456789abcdef0123456789abcdef", call.Operation);
    }
}
