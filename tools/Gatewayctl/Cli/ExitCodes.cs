namespace Gateway.Ctl.Cli;

/// <summary>Process exit codes of gatewayctl; scripts may rely on them.</summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>Interrupted (Ctrl-C) before the work was done.</summary>
    public const int Interrupted = 1;

    /// <summary>Bad command line: unknown command or option, missing argument.</summary>
    public const int Usage = 2;

    /// <summary>An input file is missing, unreadable, empty or too large.</summary>
    public const int InputFile = 3;

    /// <summary>The admin API could not be reached (refused, unresolvable, timed out).</summary>
    public const int Unreachable = 4;

    /// <summary>The admin API answered with an error status.</summary>
    public const int ServerError = 5;

    /// <summary>The admin API refused the token (401/403).</summary>
    public const int Unauthorized = 6;

    /// <summary>The admin API answered with something that is not the expected JSON.</summary>
    public const int BadResponse = 7;
}
