namespace Gateway.MtaEdge.Delivery.Transfer;

/// <summary>
/// The TLS handshake after STARTTLS failed; with opportunistic TLS the delivery goes on in plaintext.
/// </summary>
public sealed class TlsHandshakeException(string message, Exception inner) : Exception(message, inner);
