namespace Gateway.Ctl.Cli;

/// <summary>The parsed command line: global options, the command words and their operands.</summary>
public sealed record CommandLine
{
    public string? Admin { get; init; }

    public string? Token { get; init; }

    public string? TokenFile { get; init; }

    public bool Json { get; init; }

    public bool Help { get; init; }

    public TimeSpan? Timeout { get; init; }

    /// <summary>"remediation list --since": a time (RFC 3339) or an age such as 90m, 2h, 1d.</summary>
    public string? Since { get; init; }

    /// <summary>"remediation list --limit": at most this many entries.</summary>
    public int? Limit { get; init; }

    /// <summary>--until of "sender approve|block", as typed.</summary>
    public string? Until { get; init; }

    /// <summary>--reason of "sender approve|block|reset".</summary>
    public string? Reason { get; init; }

    /// <summary>Everything that is not an option, in order: the command words, then its operands.</summary>
    public IReadOnlyList<string> Words { get; init; } = [];
}
