using Gateway.FingerprintFilter.Normalization;

namespace Gateway.FingerprintFilter.Fingerprinting;

/// <summary>
/// One kind of fingerprint computed from a normalised message. New kinds (a fuzzy digest of the
/// text, issue 5) are added as further implementations; the calculator runs every registered one.
/// </summary>
public interface IFingerprintAlgorithm
{
    /// <summary>The kind prefix this algorithm writes, e.g. <c>t1</c>.</summary>
    string Kind { get; }

    /// <summary>Adds this kind's fingerprints of <paramref name="message"/> to <paramref name="output"/>.</summary>
    void Compute(NormalizedMessage message, ICollection<string> output, CancellationToken cancellationToken);
}
