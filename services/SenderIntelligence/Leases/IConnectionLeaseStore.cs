using System.Net;

namespace Gateway.SenderIntelligence.Leases;

/// <summary>
/// Counts a client's open SMTP sessions as leases that expire by themselves, so an edge that dies without
/// releasing never leaks a slot. The Redis store shares the count between every edge of a deployment.
/// </summary>
public interface IConnectionLeaseStore
{
    /// <summary>
    /// Drops the client's expired leases, then adds <paramref name="leaseId"/> if fewer than
    /// <paramref name="limit"/> remain, all as one atomic step.
    /// </summary>
    /// <exception cref="StackExchange.Redis.RedisException">The store failed or cannot be reached.</exception>
    Task<LeaseAcquisition> TryAcquireAsync(
        IPAddress client,
        string leaseId,
        DateTimeOffset now,
        TimeSpan leaseTime,
        int limit);

    /// <summary>Removes the lease; removing one that expired or never existed is not an error.</summary>
    /// <exception cref="StackExchange.Redis.RedisException">The store failed or cannot be reached.</exception>
    Task ReleaseAsync(IPAddress client, string leaseId);
}
