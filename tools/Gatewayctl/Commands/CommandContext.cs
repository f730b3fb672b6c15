using Gateway.Ctl.Api;

namespace Gateway.Ctl.Commands;

/// <summary>What a command runs with: the API client, its operands and where to write.</summary>
public sealed record CommandContext(
    AdminApiClient Api,
    IReadOnlyList<string> Operands,
    bool Json,
    TextWriter Out,
    TextWriter Error,
    CancellationToken CancellationToken)
{
    /// <summary>--since as given (remediation list).</summary>
    public string? Since { get; init; }

    /// <summary>--limit (remediation list).</summary>
    public int? Limit { get; init; }
}
