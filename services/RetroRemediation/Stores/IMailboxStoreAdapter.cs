using Gateway.V1;

namespace Gateway.RetroRemediation.Stores;

/// <summary>
/// Moves delivered copies between the inbox and the Junk folder of one kind of mailbox store.
/// Implementations find the copy from its <see cref="DeliveryRecord"/> alone, report every problem
/// as a <see cref="StoreActionResult"/> rather than throwing, and never touch anything the record
/// does not safely point to.
/// </summary>
public interface IMailboxStoreAdapter
{
    MailboxStoreKind Kind { get; }

    /// <summary>Moves the copy from the inbox to Junk.</summary>
    Task<StoreActionResult> MoveToJunkAsync(DeliveryRecord record, CancellationToken cancellationToken);

    /// <summary>Moves the copy from Junk back to the inbox.</summary>
    Task<StoreActionResult> RestoreAsync(DeliveryRecord record, CancellationToken cancellationToken);

    /// <summary>Finds out whether the copy is in the inbox, in Junk or neither, without moving it.</summary>
    Task<CopyLocation> LocateAsync(DeliveryRecord record, CancellationToken cancellationToken);
}
