namespace Gateway.Ctl.Api;

/// <summary>A failed admin API call, with the sentence to show and the exit code that classifies it.</summary>
public sealed class AdminApiException(string message, int exitCode, Exception? inner = null)
    : Exception(message, inner)
{
    public int ExitCode { get; } = exitCode;
}
