using Gateway.FingerprintFilter.Normalization;

namespace Gateway.FingerprintFilter.Fingerprinting;

/// <summary>
/// One kind of fingerprint computed from a normalised message. The calculator runs every registered
/// one, in registration order, into one sink.
/// </summary>
public interface IFingerprintAlgorithm
{
    /// <summary>The kind prefix this algorithm writes, e.g. <c>t1</c>.</summary>
    string Kind { get; }

    /// <summary>Adds this kind's fingerprints of <paramref name="message"/> to <paramref name="output"/>.</summary>
    void Compute(NormalizedMessage message, FingerprintSink output, CancellationToken cancellationToken);
}
