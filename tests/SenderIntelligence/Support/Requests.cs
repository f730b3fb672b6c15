using Gateway.V1;

namespace Gateway.SenderIntelligence.Tests.Support;

internal static class Requests
{
    public static ConnectRequest Connect(string clientIp) => new()
    {
        SessionId = Guid.NewGuid().ToString("N"),
        ClientIp = clientIp,
        ClientPort = 40000,
        LocalEndpoint = "127.0.0.1:25",
    };

    public static ReleaseConnectionRequest Release(string clientIp, string leaseId) => new()
    {
        SessionId = Guid.NewGuid().ToString("N"),
        ClientIp = clientIp,
        LeaseId = leaseId,
    };
}
