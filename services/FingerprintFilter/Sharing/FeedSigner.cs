using System.Security.Cryptography;
using Gateway.V1;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace Gateway.FingerprintFilter.Sharing;

/// <summary>
/// Signs this site's feed batches with its ECDSA P-256 key (SHA-256, IEEE P1363 signature). ECDSA
/// P-256 because .NET's System.Security.Cryptography has it on every platform (Ed25519 it lacks), and
/// every peer can verify it with nothing but the public key the operator handed over.
/// </summary>
public sealed class FeedSigner : IDisposable
{
    private readonly ECDsa _key;

    /// <param name="key">A P-256 private key; the signer owns and disposes it.</param>
    /// <exception cref="ArgumentException">The key is not on the P-256 curve.</exception>
    public FeedSigner(ECDsa key, string siteId)
    {
        FeedKeys.RequireP256(key);
        _key = key;
        SiteId = siteId;
        KeyId = FeedKeys.KeyIdOf(key);
    }

    public string SiteId { get; }

    public string KeyId { get; }

    /// <summary>Reads a PEM private key (PKCS#8 "PRIVATE KEY" or SEC1 "EC PRIVATE KEY").</summary>
    public static FeedSigner FromPemFile(string path, string siteId)
    {
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(File.ReadAllText(path));
            return new FeedSigner(key, siteId);
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    public SignedFeedBatch Sign(FeedBatch batch)
    {
        batch.SiteId = SiteId;
        batch.Created ??= Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow);
        var bytes = batch.ToByteArray();
        return new SignedFeedBatch
        {
            Batch = ByteString.CopyFrom(bytes),
            Signature = ByteString.CopyFrom(_key.SignData(bytes, HashAlgorithmName.SHA256)),
            KeyId = KeyId,
            SiteId = SiteId,
        };
    }

    public void Dispose() => _key.Dispose();
}
