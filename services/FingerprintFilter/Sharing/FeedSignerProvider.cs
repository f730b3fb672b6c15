using Gateway.FingerprintFilter.Configuration;
using Microsoft.Extensions.Options;

namespace Gateway.FingerprintFilter.Sharing;

/// <summary>
/// This site's signer, loaded once from Sharing:SigningKeyFile when Sharing:SiteId is set (null when the
/// feed is off). Loading at first use keeps a missing key from breaking hosts that never share.
/// </summary>
public sealed class FeedSignerProvider : IDisposable
{
    private readonly Lazy<FeedSigner?> _signer;

    public FeedSignerProvider(IOptions<FingerprintFilterOptions> options)
    {
        var sharing = options.Value.Sharing;
        _signer = new Lazy<FeedSigner?>(() => sharing.SiteId.Length == 0 || sharing.SigningKeyFile.Length == 0
            ? null
            : FeedSigner.FromPemFile(sharing.SigningKeyFile, sharing.SiteId));
    }

    /// <summary>A provider around a signer made elsewhere (tests, tools).</summary>
    public FeedSignerProvider(FeedSigner? signer) => _signer = new Lazy<FeedSigner?>(signer);

    public FeedSigner? Signer => _signer.Value;

    public void Dispose()
    {
        if (_signer.IsValueCreated)
        {
            _signer.Value?.Dispose();
        }
    }
}
