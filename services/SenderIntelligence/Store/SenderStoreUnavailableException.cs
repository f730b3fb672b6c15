namespace Gateway.SenderIntelligence.Store;

/// <summary>
/// Thrown instead of calling the store while <see cref="StoreCircuit"/> is open: the store failed moments ago, so the
/// check takes its fail-open or fail-closed path at once rather than waiting for another timeout.
/// </summary>
public sealed class SenderStoreUnavailableException : TimeoutException
{
    public SenderStoreUnavailableException()
        : base("The sender store failed moments ago; not asked again until it has recovered")
    {
    }

    public SenderStoreUnavailableException(string message)
        : base(message)
    {
    }

    public SenderStoreUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
