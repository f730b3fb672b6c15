using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace Gateway.FingerprintFilter.Grpc;

public static class FingerprintFilterEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps the <c>gateway.v1.FingerprintFilter</c> service and, for peer sites, <c>gateway.v1.FingerprintFeed</c>
    /// (the host must call <c>services.AddGrpc()</c>). The feed answers FAILED_PRECONDITION until
    /// Sharing:SiteId and Sharing:SigningKeyFile are set.
    /// </summary>
    public static IEndpointRouteBuilder MapFingerprintFilterGrpc(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGrpcService<FingerprintFilterGrpcService>();
        endpoints.MapGrpcService<FingerprintFeedGrpcService>();
        return endpoints;
    }
}
