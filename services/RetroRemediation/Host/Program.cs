using Gateway.ClusterCommon.Hosting;
using Gateway.RetroRemediation.Grpc;
using Gateway.RetroRemediation.Host;

// Retro-remediation in cluster mode: learns delivered copies and acts on convictions, both from Kafka.
return await ClusterServiceHost.RunAsync("gateway-retro-remediation", args,
    (services, configuration) => services.AddRetroRemediationService(configuration),
    app => app.MapGrpcService<RetroRemediationGrpcService>());
