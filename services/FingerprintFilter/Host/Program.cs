using Gateway.ClusterCommon.Hosting;
using Gateway.FingerprintFilter.Grpc;
using Gateway.FingerprintFilter.Host;

// The fingerprint filter in cluster mode: scans and reports over gRPC; convictions and reversals go to Kafka.
return await ClusterServiceHost.RunAsync("gateway-fingerprint-filter", args,
    (services, configuration) => services.AddFingerprintFilterService(configuration),
    app => app.MapFingerprintFilterGrpc());
