using Gateway.Testing;

namespace Gateway.SenderIntelligence.Tests.Store;

/// <summary>The store scenarios on a real redis-server (GATEWAY_TEST_REDIS; Lua 5.1).</summary>
public sealed class RedisServerStoreTests : StoreScenarios
{
    public RedisServerStoreTests()
        : base(TestEnvironment.Get(TestEnvironment.RedisVariable) ?? "redis-not-configured:6379")
    {
    }

    [RequiresFact(TestEnvironment.RedisVariable)]
    public Task CheckConnect_UnderLimit_AcceptsWithExpiringLease() => UnderLimitAcceptsWithExpiringLeaseAsync();

    [RequiresFact(TestEnvironment.RedisVariable)]
    public Task CheckConnect_ConcurrencyLimit_Tempfails421() => ConcurrencyLimitTempfails421Async();

    [RequiresFact(TestEnvironment.RedisVariable)]
    public Task CloseSession_AtLimit_FreesASlot() => CloseAndReleaseFreeASlotAsync();

    [RequiresFact(TestEnvironment.RedisVariable)]
    public Task Restart_LeasesOfTheKilledRun_AreGivenBackOthersKept() => RestartReleasesTheKilledRunsLeasesOnlyAsync();

    [RequiresFact(TestEnvironment.RedisVariable)]
    public Task CheckConnect_LeasesPastTheirTime_AreDropped() => ExpiredLeasesAreDroppedAsync();

    [RequiresFact(TestEnvironment.RedisVariable)]
    public Task CheckConnect_MappedAndPlainIPv4_ShareOneCount() => MappedAndPlainIPv4ShareOneCountAsync();

    [RequiresFact(TestEnvironment.RedisVariable)]
    public Task CheckConnect_RacingEdges_NeverExceedLimit() => RacingEdgesNeverExceedLimitAsync();

    [RequiresFact(TestEnvironment.RedisVariable)]
    public Task CheckConnect_AllowListed_TakesNoLease() => AllowListedClientTakesNoLeaseAsync();

    [RequiresFact(TestEnvironment.RedisVariable)]
    public Task CheckConnect_ConnectionsPerWindow_SlideAndTempfail421() => ConnectionRateSlidesOverTheWindowAsync();

    [RequiresFact(TestEnvironment.RedisVariable)]
    public Task CheckMail_MessagesPerConnection_Defers451() => MessagesPerConnectionDefers451Async();

    [RequiresFact(TestEnvironment.RedisVariable)]
    public Task CheckMail_MessagesPerHour_Defers451() => MessagesPerHourDefers451Async();

    [RequiresFact(TestEnvironment.RedisVariable)]
    public Task BytesPerHour_AtMailAndEndOfData_Defers451() => BytesPerHourDefersAtMailAndAtEndOfDataAsync();

    [RequiresFact(TestEnvironment.RedisVariable)]
    public Task CheckRcpt_RecipientsPerMessage_Defers451UntilNextTransaction() =>
        RecipientsPerMessageDefers451UntilNextTransactionAsync();

    [RequiresFact(TestEnvironment.RedisVariable)]
    public Task CheckRcpt_DirectoryHarvest_DemotesAndDefers() => DirectoryHarvestDemotesAndDefersAsync();

    [RequiresFact(TestEnvironment.RedisVariable)]
    public Task CheckEndOfData_Message_CountsProfileAndReputation() => EndOfDataCountsTheProfileAndReputationAsync();

    [RequiresFact(TestEnvironment.RedisVariable)]
    public Task DynamicQos_CleanHistory_PromotesGraduallyNeverPastCeiling() =>
        CleanHistoryPromotesGraduallyAndNeverPastTheCeilingAsync();

    [RequiresFact(TestEnvironment.RedisVariable)]
    public Task DynamicQos_SpamRatio_DemotesUntilCoolOff() => SpamRatioDemotesAndCoolOffEndsTheBlockAsync();

    [RequiresFact(TestEnvironment.RedisVariable)]
    public Task DynamicQos_VolumeSpike_Demotes() => VolumeSpikeAgainstOwnAverageDemotesAsync();

    [RequiresFact(TestEnvironment.RedisVariable)]
    public Task ApproveSender_UntilADate_EndsByItself() => ApprovalUntilADateEndsByItselfAsync();

    [RequiresFact(TestEnvironment.RedisVariable)]
    public Task BlockSender_Network_RefusedOnEveryNodeUntilReset() =>
        BlockedNetworkIsRefusedOnEveryNodeUntilResetAsync();

    [RequiresFact(TestEnvironment.RedisVariable)]
    public Task BlockSender_Domain_RefusedAtMail() => BlockedDomainIsRefusedAtMailAsync();

    [RequiresFact(TestEnvironment.RedisVariable)]
    public Task Policy_RulesOnHeloDomainReputationAge_Apply() => PolicyRulesOnHeloDomainReputationAndAgeAsync();

    [RequiresFact(TestEnvironment.RedisVariable)]
    public Task SharedReputation_Outcomes_DecayAndRefuseAtThreshold() =>
        SharedReputationDecaysAndRefusesAtTheThresholdAsync();

    [RequiresFact(TestEnvironment.RedisVariable)]
    public Task TrustedByPolicy_PoorReputation_NotRefused() =>
        TrustedByPolicyIsNotRefusedForReputationAsync();

    [RequiresFact(TestEnvironment.RedisVariable)]
    public Task CheckRcpt_SpamTrap_RefusedAndDemotes() => SpamTrapIsRefusedAndDemotesAsync();

    [RequiresFact(TestEnvironment.RedisVariable)]
    public Task CloseSession_ProtocolErrors_CountedAndSessionForgotten() =>
        CloseCountsProtocolErrorsAndForgetsTheSessionAsync();
}
