namespace Gateway.Ctl.Cli;

/// <summary>The command line cannot be understood; the message says why in one sentence.</summary>
public sealed class UsageException(string message) : Exception(message);
