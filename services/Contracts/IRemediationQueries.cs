using Gateway.V1;

namespace Gateway.Contracts;

/// <summary>
/// The audit queries of the tier (the <c>ListActions</c> and <c>ShowCopy</c> RPCs), behind
/// <c>gatewayctl remediation list|show</c>. Kept apart from <c>IRetroRemediation</c>, which other tiers call.
/// </summary>
public interface IRemediationQueries
{
    /// <summary>Audit entries, newest first.</summary>
    Task<ListActionsReply> ListActionsAsync(ListActionsRequest request, CancellationToken cancellationToken);

    /// <summary>A copy by id, or the copies acted on for a Message-ID, with their audit entries.</summary>
    /// <exception cref="ArgumentException">The id is neither a copy id nor a Message-ID.</exception>
    Task<ShowCopyReply> ShowCopyAsync(ShowCopyRequest request, CancellationToken cancellationToken);
}
