using System.Net;
using Gateway.SenderIntelligence.Leases;

namespace Gateway.SenderIntelligence.Tests.Support;

/// <summary>
/// A lease store for tests of the decisions made before any lease is taken: it records calls and grants up to
/// a limit in memory, so a test can prove the store was or was not consulted.
/// </summary>
internal sealed class RecordingLeaseStore : IConnectionLeaseStore
{
    private readonly Dictionary<IPAddress, HashSet<string>> _leases = new();

    public List<IPAddress> AcquireCalls { get; } = new();

    public List<(IPAddress Client, string LeaseId)> ReleaseCalls { get; } = new();

    public Task<LeaseAcquisition> TryAcquireAsync(
        IPAddress client, string leaseId, DateTimeOffset now, TimeSpan leaseTime, int limit)
    {
        lock (_leases)
        {
            AcquireCalls.Add(client);
            if (!_leases.TryGetValue(client, out var held))
            {
                _leases[client] = held = new HashSet<string>();
            }

            if (held.Count >= limit)
            {
                return Task.FromResult(new LeaseAcquisition(false, held.Count));
            }

            held.Add(leaseId);
            return Task.FromResult(new LeaseAcquisition(true, held.Count));
        }
    }

    public Task ReleaseAsync(IPAddress client, string leaseId)
    {
        lock (_leases)
        {
            ReleaseCalls.Add((client, leaseId));
            if (_leases.TryGetValue(client, out var held))
            {
                held.Remove(leaseId);
            }
        }

        return Task.CompletedTask;
    }
}
