namespace Gateway.MtaEdge.Delivery;

/// <summary>STARTTLS when delivering over SMTP (RFC 3207 client side).</summary>
public enum SmtpTlsPolicy
{
    /// <summary>Opportunistic (RFC 7435): TLS when offered, plaintext otherwise or when the handshake fails.</summary>
    May,

    /// <summary>Never: always plaintext.</summary>
    None,

    /// <summary>Mandatory: a next hop that does not offer STARTTLS, or fails the handshake, is not used.</summary>
    Encrypt,
}
