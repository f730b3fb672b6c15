using Gateway.RetroRemediation.Cache;
using Gateway.RetroRemediation.Configuration;
using Gateway.V1;

namespace Gateway.RetroRemediation.Stores;

/// <summary>One request to a store adapter.</summary>
/// <param name="CopyId">The cache id of the copy (for logs and idempotency keys).</param>
/// <param name="Record">The copy's delivery record.</param>
/// <param name="Operation">Remediate, undo or locate.</param>
/// <param name="Action">The action applied (Remediate), or the one to undo or check.</param>
/// <param name="FlagsAdded">For an undo of Flag: the flags our Flag added, the only ones to remove.</param>
/// <param name="OnlyUnread">Remediate only if the copy is still unread.</param>
/// <param name="EventId">The fingerprint event behind the request.</param>
public sealed record StoreCommand(
    string CopyId,
    DeliveryRecord Record,
    StoreOperation Operation,
    StoreAction Action,
    StoreFlags FlagsAdded,
    bool OnlyUnread,
    string EventId);
