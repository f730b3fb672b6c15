using Gateway.V1;

namespace Gateway.RetroRemediation.Stores;

/// <summary>
/// Acts on delivered copies in one kind of mailbox store. Implementations find the copy from its
/// <see cref="DeliveryRecord"/> alone, report every problem as a <see cref="StoreActionResult"/>
/// rather than throwing (cancellation by the caller excepted), and never touch anything the record
/// does not safely point to.
/// </summary>
public interface IMailboxStoreAdapter
{
    MailboxStoreKind Kind { get; }

    /// <summary>False when the store's settings are missing; its actions wait in the pending list.</summary>
    bool IsConfigured { get; }

    Task<StoreActionResult> ApplyAsync(StoreCommand command, CancellationToken cancellationToken);
}
