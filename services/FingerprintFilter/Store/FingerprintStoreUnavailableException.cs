namespace Gateway.FingerprintFilter.Store;

/// <summary>The fingerprint store could not be reached or did not answer in time.</summary>
public sealed class FingerprintStoreUnavailableException : Exception
{
    public FingerprintStoreUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
