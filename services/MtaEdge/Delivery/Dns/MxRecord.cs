namespace Gateway.MtaEdge.Delivery.Dns;

/// <summary>
/// One MX record (RFC 1035 3.3.9): lower preference first; an empty exchange is the null MX (RFC 7505).
/// </summary>
public sealed record MxRecord(int Preference, string Exchange);
