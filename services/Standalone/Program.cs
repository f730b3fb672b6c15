using Gateway.Common.Hosting;
using Gateway.Standalone.Hosting;

// Standalone gateway: all four tiers in one process, embedded defaults, durable spool under DataDir.
return await ServiceMain.RunAsync("gateway", () => StandaloneHost.Build(args).RunAsync());
