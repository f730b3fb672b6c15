using Gateway.Standalone.Hosting;

// Standalone gateway: all four tiers in one process, embedded defaults, durable spool under DataDir.
var app = StandaloneHost.Build(args);
await app.RunAsync();
