using System.Net;

namespace Gateway.MtaEdge.Smtp.Proxy;

/// <summary>
/// What a PROXY protocol header said. <see cref="Source"/> is the real client; it is null when the
/// proxy sent no address (v1 UNKNOWN, v2 LOCAL such as a health check, or a non-TCP family), in which
/// case the connection's own peer address stands.
/// </summary>
public sealed record ProxyHeader(int Version, IPEndPoint? Source, IPEndPoint? Destination);
