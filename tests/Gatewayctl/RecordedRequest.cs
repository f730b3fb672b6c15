namespace Gateway.Ctl.Tests;

/// <summary>One request the fake admin API received.</summary>
public sealed record RecordedRequest(
    string Method, string Path, string? Authorization, string? ContentType, byte[] Body)
{
    /// <summary>The query parameters, decoded.</summary>
    public IReadOnlyDictionary<string, string> Query { get; init; } = new Dictionary<string, string>();
}
