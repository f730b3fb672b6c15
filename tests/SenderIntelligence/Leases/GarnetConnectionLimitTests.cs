using Xunit;

namespace Gateway.SenderIntelligence.Tests.Leases;

/// <summary>The connection-limit scenarios on the embedded Garnet of the standalone gateway.</summary>
public sealed class GarnetConnectionLimitTests : ConnectionLimitScenarios, IClassFixture<EmbeddedGarnetFixture>
{
    public GarnetConnectionLimitTests(EmbeddedGarnetFixture garnet)
        : base(garnet.Configuration)
    {
    }

    [Fact]
    public Task CheckConnect_UnderLimit_AcceptsWithExpiringLease() => UnderLimitAcceptsWithExpiringLeaseAsync();

    [Fact]
    public Task CheckConnect_LimitReached_Tempfails421() => LimitReachedTempfails421Async();

    [Fact]
    public Task ReleaseConnection_AtLimit_FreesASlot() => ReleaseFreesASlotAsync();

    [Fact]
    public Task CheckConnect_LeasesPastTheirTime_AreDropped() => ExpiredLeasesAreDroppedAsync();

    [Fact]
    public Task CheckConnect_MappedAndPlainIPv4_ShareOneCount() => MappedAndPlainIPv4ShareOneCountAsync();

    [Fact]
    public Task CheckConnect_RacingEdges_NeverExceedLimit() => ConcurrentChecksFromSeveralEdgesNeverExceedLimitAsync();

    [Fact]
    public Task CheckConnect_AllowListed_TakesNoLease() => AllowListedClientTakesNoLeaseAsync();
}
