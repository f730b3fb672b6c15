using System.Security.Cryptography;

namespace Gateway.FingerprintFilter.Fingerprinting;

/// <summary>
/// Makes the "kind:hex" string of a fingerprint: SHA-256, truncated to its first 128 bits, lower-case hex.
/// </summary>
/// <remarks>
/// One-way so the store, logs and events never hold message content. Unkeyed on purpose: the same
/// content must give the same fingerprint at every gateway and in every tier, because convictions
/// are matched against retro-remediation's delivery records and (issue 5) shared between sites; a
/// key would have to be handed to all of them and would then protect little. What an unkeyed digest
/// allows is confirming a guess (digest a suspected text, look it up), which tells a store reader
/// only that someone reported that text. 128 bits keep second-preimage attacks (forging a ham that
/// matches a convicted spam) out of reach while halving key size.
/// </remarks>
public static class FingerprintDigest
{
    public const int DigestBytes = 16;

    public static string Of(string kind, ReadOnlySpan<byte> data)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(data, hash);
        return Format(kind, hash);
    }

    /// <summary>Finishes an incremental SHA-256 (e.g. fed by a <see cref="DigestStream"/>).</summary>
    public static string Of(string kind, IncrementalHash hash)
    {
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        hash.GetHashAndReset(digest);
        return Format(kind, digest);
    }

    private static string Format(string kind, ReadOnlySpan<byte> hash) =>
        kind + ":" + Convert.ToHexStringLower(hash[..DigestBytes]);
}
