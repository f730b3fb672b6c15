using System.Collections.Concurrent;

namespace Gateway.MtaEdge.Delivery;

/// <summary>
/// Who is working on a queued message right now: a delivery attempt or an administrator's retry or
/// delete. One at a time per message, so a delete can never race an attempt that is writing the
/// envelope, and an attempt never starts on a message being deleted.
/// </summary>
public sealed class DeliveryClaims
{
    private readonly ConcurrentDictionary<string, string> _claims = new(StringComparer.Ordinal);

    /// <summary>Claims the message for <paramref name="holder"/>; false when someone else has it.</summary>
    public bool TryClaim(string queueId, string holder) => _claims.TryAdd(queueId, holder);

    public void Release(string queueId) => _claims.TryRemove(queueId, out _);

    /// <summary>True while a delivery attempt (or an administrator) holds the message.</summary>
    public bool IsClaimed(string queueId) => _claims.ContainsKey(queueId);

    public int Count => _claims.Count;
}
