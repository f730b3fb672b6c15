using Gateway.ClusterCommon.Hosting;
using Gateway.SenderIntelligence.Host;
using Gateway.SenderIntelligence.Host.Grpc;

// Sender intelligence in cluster mode: connect decisions over gRPC, reputation learned from Kafka.
return await ClusterServiceHost.RunAsync("gateway-sender-intelligence", args,
    (services, configuration) => services.AddSenderIntelligenceService(configuration),
    app => app.MapGrpcService<SenderIntelligenceGrpcService>());
