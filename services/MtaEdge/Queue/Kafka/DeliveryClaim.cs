namespace Gateway.MtaEdge.Queue.Kafka;

/// <summary>The ledger's answer for one recipient; <see cref="Token"/> identifies our claim when we hold it.</summary>
public sealed record DeliveryClaim(string QueueId, string Recipient, DeliveryLedgerState State, string Token = "",
    string Location = "")
{
    public bool IsOurs => State is DeliveryLedgerState.Claimed or DeliveryLedgerState.Orphaned;
}
