using Gateway.ClusterCommon.Hosting;
using Gateway.MtaEdge.Host;
using Gateway.MtaEdge.Host.Admin;
using Gateway.MtaEdge.Host.Grpc;

// The MTA edge in cluster mode: SMTP listener, Kafka queue and delivery, the admin API; the tiers over gRPC.
return await ClusterServiceHost.RunAsync("gateway-mta-edge", args,
    (services, configuration) => services.AddMtaEdgeService(configuration),
    app =>
    {
        app.MapGrpcService<MtaEdgeGrpcService>();
        app.MapClusterAdminApi();
    });
