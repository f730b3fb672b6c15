namespace Gateway.EmbeddedStore.Recovery;

/// <summary>
/// The embedded store could not recover its state at start; the message names the directory and what to do.
/// </summary>
public sealed class StoreRecoveryException : Exception
{
    public StoreRecoveryException(string message)
        : base(message)
    {
    }

    public StoreRecoveryException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
