using Gateway.Ctl.Cli;

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};

return await GatewayctlApp.RunAsync(
    args, Console.Out, Console.Error, Environment.GetEnvironmentVariable, cancellation.Token);
