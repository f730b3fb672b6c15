using Gateway.FingerprintFilter.Configuration;
using System.Text;
using Gateway.FingerprintFilter.Normalization;
using Microsoft.Extensions.Options;

namespace Gateway.FingerprintFilter.Fingerprinting;

/// <summary>
/// <c>u1</c>: the digest of each registrable domain that the message's links point to (visible URLs
/// and HTML link targets). A campaign varies its wording and tracking paths but must send readers to
/// sites it controls, so a reported spam's domains make its variants more suspicious. A domain is
/// never enough on its own: ham links to the same big sites spam abuses, so u1 only adds to the score
/// (see <see cref="FingerprintKinds.ConvictsAlone"/>).
/// </summary>
public sealed class UrlDomainFingerprinter(IOptions<FingerprintFilterOptions> options) : IFingerprintAlgorithm
{
    private readonly int _maxDomains = options.Value.MaxUrlDomains;

    public string Kind => FingerprintKinds.UrlDomain;

    public void Compute(NormalizedMessage message, FingerprintSink output, CancellationToken cancellationToken)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var host in message.LinkHosts)
        {
            if (RegistrableDomain.Of(host) is { } domain && seen.Add(domain))
            {
                output.Add(FingerprintDigest.Of(Kind, Encoding.UTF8.GetBytes(domain)));
                if (seen.Count >= _maxDomains)
                {
                    return;
                }
            }
        }
    }
}
