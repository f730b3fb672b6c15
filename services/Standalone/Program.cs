using Gateway.Standalone.Hosting;
using Microsoft.Extensions.Options;

// Standalone gateway: all four tiers in one process, embedded defaults, durable spool under DataDir.
try
{
    var app = StandaloneHost.Build(args);
    await app.RunAsync();
    return 0;
}
catch (OptionsValidationException ex)
{
    // A configuration mistake is the operator's to fix: say what is wrong, without a stack trace, and exit 1.
    foreach (var failure in ex.Failures)
    {
        Console.Error.WriteLine("gateway: configuration error: " + failure);
    }

    return 1;
}
