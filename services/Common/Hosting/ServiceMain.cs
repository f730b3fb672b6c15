using Microsoft.Extensions.Options;

namespace Gateway.Common.Hosting;

/// <summary>
/// The body of every gateway process's Main: runs the host, and turns a configuration the validators refuse into
/// its messages on standard error and exit code 1, instead of an unhandled exception (SIGABRT and a stack trace).
/// </summary>
public static class ServiceMain
{
    public static async Task<int> RunAsync(string name, Func<Task> run)
    {
        try
        {
            await run();
            return 0;
        }
        catch (OptionsValidationException ex)
        {
            foreach (var failure in ex.Failures)
            {
                await Console.Error.WriteLineAsync($"{name}: configuration error: {failure}");
            }

            return 1;
        }
    }
}
