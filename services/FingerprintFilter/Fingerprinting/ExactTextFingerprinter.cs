using Gateway.FingerprintFilter.Configuration;
using System.Text;
using Gateway.FingerprintFilter.Normalization;
using Microsoft.Extensions.Options;

namespace Gateway.FingerprintFilter.Fingerprinting;

/// <summary>
/// <c>t1</c>: the digest of one normalised text part, for every part long enough to be distinctive.
/// A campaign sending the same body as text/plain and text/html gets the same t1 for both.
/// </summary>
public sealed class ExactTextFingerprinter(IOptions<FingerprintFilterOptions> options) : IFingerprintAlgorithm
{
    private readonly int _minTextChars = options.Value.MinTextChars;

    public string Kind => FingerprintKinds.ExactText;

    public void Compute(NormalizedMessage message, FingerprintSink output, CancellationToken cancellationToken)
    {
        foreach (var part in message.Texts)
        {
            if (part.Text.Length < _minTextChars)
            {
                continue;
            }

            output.Add(FingerprintDigest.Of(Kind, Encoding.UTF8.GetBytes(part.Text)));
        }
    }
}
