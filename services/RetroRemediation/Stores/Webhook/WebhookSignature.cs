using System.Security.Cryptography;
using System.Text;

namespace Gateway.RetroRemediation.Stores.Webhook;

/// <summary>
/// The webhook signature: <c>v1=</c> and the lowercase hex of HMAC-SHA256(secret, timestamp + "." + body),
/// where the timestamp is the <c>X-Gateway-Timestamp</c> header (Unix seconds). Signing the timestamp lets
/// the receiver refuse replays of old requests; the "v1" leaves room for another scheme later.
/// </summary>
public static class WebhookSignature
{
    public static string Sign(byte[] secret, string timestamp, ReadOnlySpan<byte> body)
    {
        var signed = new byte[timestamp.Length + 1 + body.Length];
        Encoding.ASCII.GetBytes(timestamp, signed);
        signed[timestamp.Length] = (byte)'.';
        body.CopyTo(signed.AsSpan(timestamp.Length + 1));
        return "v1=" + Convert.ToHexStringLower(HMACSHA256.HashData(secret, signed));
    }

    /// <summary>For receivers (and tests): checks a signature in constant time.</summary>
    public static bool Verify(byte[] secret, string timestamp, ReadOnlySpan<byte> body, string? signature) =>
        signature is not null && CryptographicOperations.FixedTimeEquals(
            Encoding.ASCII.GetBytes(Sign(secret, timestamp, body)), Encoding.ASCII.GetBytes(signature));
}
