using Gateway.SenderIntelligence.Tests.Support;
using Xunit;

namespace Gateway.SenderIntelligence.Tests.Store;

/// <summary>The store scenarios on the embedded Garnet of the standalone gateway (Lua 5.4, transaction mode).</summary>
public sealed class GarnetStoreTests : StoreScenarios, IClassFixture<EmbeddedGarnetFixture>
{
    public GarnetStoreTests(EmbeddedGarnetFixture garnet)
        : base(garnet.Configuration)
    {
    }

    [Fact]
    public Task CheckConnect_UnderLimit_AcceptsWithExpiringLease() => UnderLimitAcceptsWithExpiringLeaseAsync();

    [Fact]
    public Task CheckConnect_ConcurrencyLimit_Tempfails421() => ConcurrencyLimitTempfails421Async();

    [Fact]
    public Task CloseSession_AtLimit_FreesASlot() => CloseAndReleaseFreeASlotAsync();

    [Fact]
    public Task Restart_LeasesOfTheKilledRun_AreGivenBackOthersKept() => RestartReleasesTheKilledRunsLeasesOnlyAsync();

    [Fact]
    public Task CheckConnect_LeasesPastTheirTime_AreDropped() => ExpiredLeasesAreDroppedAsync();

    [Fact]
    public Task CheckConnect_MappedAndPlainIPv4_ShareOneCount() => MappedAndPlainIPv4ShareOneCountAsync();

    [Fact]
    public Task CheckConnect_RacingEdges_NeverExceedLimit() => RacingEdgesNeverExceedLimitAsync();

    [Fact]
    public Task CheckConnect_AllowListed_TakesNoLease() => AllowListedClientTakesNoLeaseAsync();

    [Fact]
    public Task CheckConnect_ConnectionsPerWindow_SlideAndTempfail421() => ConnectionRateSlidesOverTheWindowAsync();

    [Fact]
    public Task CheckMail_MessagesPerConnection_Defers451() => MessagesPerConnectionDefers451Async();

    [Fact]
    public Task CheckMail_MessagesPerHour_Defers451() => MessagesPerHourDefers451Async();

    [Fact]
    public Task BytesPerHour_AtMailAndEndOfData_Defers451() => BytesPerHourDefersAtMailAndAtEndOfDataAsync();

    [Fact]
    public Task CheckRcpt_RecipientsPerMessage_Defers451UntilNextTransaction() =>
        RecipientsPerMessageDefers451UntilNextTransactionAsync();

    [Fact]
    public Task CheckRcpt_DirectoryHarvest_DemotesAndDefers() => DirectoryHarvestDemotesAndDefersAsync();

    [Fact]
    public Task CheckEndOfData_Message_CountsProfileAndReputation() => EndOfDataCountsTheProfileAndReputationAsync();

    [Fact]
    public Task DynamicQos_CleanHistory_PromotesGraduallyNeverPastCeiling() =>
        CleanHistoryPromotesGraduallyAndNeverPastTheCeilingAsync();

    [Fact]
    public Task DynamicQos_SpamRatio_DemotesUntilCoolOff() => SpamRatioDemotesAndCoolOffEndsTheBlockAsync();

    [Fact]
    public Task DynamicQos_VolumeSpike_Demotes() => VolumeSpikeAgainstOwnAverageDemotesAsync();

    [Fact]
    public Task ApproveSender_UntilADate_EndsByItself() => ApprovalUntilADateEndsByItselfAsync();

    [Fact]
    public Task BlockSender_Network_RefusedOnEveryNodeUntilReset() =>
        BlockedNetworkIsRefusedOnEveryNodeUntilResetAsync();

    [Fact]
    public Task BlockOrApproveSender_NetworkWiderThanAProvider_Refused() =>
        TooWideNetworkIsRefusedForBlockAndApprovalAsync();

    [Fact]
    public Task BlockSender_Domain_RefusedAtMail() => BlockedDomainIsRefusedAtMailAsync();

    [Fact]
    public Task Policy_RulesOnHeloDomainReputationAge_Apply() => PolicyRulesOnHeloDomainReputationAndAgeAsync();

    [Fact]
    public Task SharedReputation_Outcomes_DecayAndRefuseAtThreshold() =>
        SharedReputationDecaysAndRefusesAtTheThresholdAsync();

    [Fact]
    public Task TrustedByPolicy_PoorReputation_NotRefused() =>
        TrustedByPolicyIsNotRefusedForReputationAsync();

    [Fact]
    public Task CheckRcpt_SpamTrap_RefusedAndDemotes() => SpamTrapIsRefusedAndDemotesAsync();

    [Fact]
    public Task CloseSession_ProtocolErrors_CountedAndSessionForgotten() =>
        CloseCountsProtocolErrorsAndForgetsTheSessionAsync();
}
