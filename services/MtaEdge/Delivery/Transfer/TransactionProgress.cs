namespace Gateway.MtaEdge.Delivery.Transfer;

/// <summary>How far a transaction got: once the data went out, a failure may mean the server has the message.</summary>
internal sealed class TransactionProgress
{
    public bool DataSent { get; set; }
}
