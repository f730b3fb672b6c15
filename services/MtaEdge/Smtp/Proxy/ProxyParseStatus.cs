namespace Gateway.MtaEdge.Smtp.Proxy;

/// <summary>Where parsing a PROXY header stands after looking at the bytes received so far.</summary>
public enum ProxyParseStatus
{
    /// <summary>The header is not complete yet; read more.</summary>
    Incomplete,

    /// <summary>A whole, valid header was parsed.</summary>
    Complete,

    /// <summary>The bytes are not a valid PROXY header; the connection is closed.</summary>
    Invalid,
}
