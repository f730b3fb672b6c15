using System.Security.Cryptography;
using Gateway.V1;
using Google.Protobuf;

namespace Gateway.FingerprintFilter.Sharing;

/// <summary>Checks that a batch was signed by a peer's configured key and names that peer.</summary>
public sealed class FeedVerifier : IDisposable
{
    private readonly ECDsa _key;
    private readonly string _siteId;
    private readonly string _keyId;

    public FeedVerifier(string siteId, ECDsa publicKey)
    {
        FeedKeys.RequireP256(publicKey);
        _siteId = siteId;
        _key = publicKey;
        _keyId = FeedKeys.KeyIdOf(publicKey);
    }

    /// <returns>The batch, parsed only after its signature checked out.</returns>
    /// <exception cref="FeedVerificationException">Wrong key, bad signature, other site, or not a batch.</exception>
    public FeedBatch Verify(SignedFeedBatch signed)
    {
        if (!string.Equals(signed.KeyId, _keyId, StringComparison.Ordinal))
        {
            throw new FeedVerificationException(
                $"batch signed with key {signed.KeyId}, but {_siteId}'s key is {_keyId}");
        }

        if (!_key.VerifyData(signed.Batch.Span, signed.Signature.Span, HashAlgorithmName.SHA256))
        {
            throw new FeedVerificationException($"bad signature on a batch claiming to be from {_siteId}");
        }

        FeedBatch batch;
        try
        {
            batch = FeedBatch.Parser.ParseFrom(signed.Batch);
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new FeedVerificationException($"signed batch from {_siteId} does not parse: {ex.Message}");
        }

        // The site id inside the signed bytes is what counts; the outer one is only a routing hint.
        if (!string.Equals(batch.SiteId, _siteId, StringComparison.OrdinalIgnoreCase))
        {
            throw new FeedVerificationException($"batch signed by {_siteId}'s key names site {batch.SiteId}");
        }

        return batch;
    }

    public void Dispose() => _key.Dispose();
}
