using System.Security.Cryptography;

namespace Gateway.FingerprintFilter.Sharing;

/// <summary>Key handling shared by the signer and the verifier.</summary>
public static class FeedKeys
{
    /// <summary>
    /// Hex of the first 16 bytes of SHA-256 over the SubjectPublicKeyInfo: names a key in logs and batches.
    /// </summary>
    public static string KeyIdOf(ECDsa key) =>
        Convert.ToHexStringLower(SHA256.HashData(key.ExportSubjectPublicKeyInfo())[..16]);

    /// <exception cref="ArgumentException">Not a P-256 key.</exception>
    public static void RequireP256(ECDsa key)
    {
        var curve = key.ExportParameters(false).Curve;
        if (key.KeySize != 256 || !curve.IsNamed || curve.Oid.Value != ECCurve.NamedCurves.nistP256.Oid.Value)
        {
            throw new ArgumentException("Feed keys must be ECDSA on the NIST P-256 curve.", nameof(key));
        }
    }

    /// <summary>A PEM public key given inline, or the path of a file holding one.</summary>
    public static ECDsa PublicKeyFrom(string pemOrPath)
    {
        var pem = pemOrPath.Contains("-----BEGIN", StringComparison.Ordinal) ? pemOrPath : File.ReadAllText(pemOrPath);
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(pem);
            RequireP256(key);
            return key;
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }
}
