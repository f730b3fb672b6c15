using Gateway.Testing;

namespace Gateway.SenderIntelligence.Tests.Leases;

/// <summary>The connection-limit scenarios on a real redis-server (GATEWAY_TEST_REDIS).</summary>
public sealed class RedisServerConnectionLimitTests : ConnectionLimitScenarios
{
    public RedisServerConnectionLimitTests()
        : base(TestEnvironment.Get(TestEnvironment.RedisVariable) ?? "redis-not-configured:6379")
    {
    }

    [RequiresFact(TestEnvironment.RedisVariable)]
    public Task CheckConnect_UnderLimit_AcceptsWithExpiringLease() => UnderLimitAcceptsWithExpiringLeaseAsync();

    [RequiresFact(TestEnvironment.RedisVariable)]
    public Task CheckConnect_LimitReached_Tempfails421() => LimitReachedTempfails421Async();

    [RequiresFact(TestEnvironment.RedisVariable)]
    public Task ReleaseConnection_AtLimit_FreesASlot() => ReleaseFreesASlotAsync();

    [RequiresFact(TestEnvironment.RedisVariable)]
    public Task CheckConnect_LeasesPastTheirTime_AreDropped() => ExpiredLeasesAreDroppedAsync();

    [RequiresFact(TestEnvironment.RedisVariable)]
    public Task CheckConnect_MappedAndPlainIPv4_ShareOneCount() => MappedAndPlainIPv4ShareOneCountAsync();

    [RequiresFact(TestEnvironment.RedisVariable)]
    public Task CheckConnect_RacingEdges_NeverExceedLimit() => ConcurrentChecksFromSeveralEdgesNeverExceedLimitAsync();

    [RequiresFact(TestEnvironment.RedisVariable)]
    public Task CheckConnect_AllowListed_TakesNoLease() => AllowListedClientTakesNoLeaseAsync();
}
