namespace Gateway.SenderIntelligence.Configuration;

/// <summary>A list of addresses and networks, one per line (<c>#</c> or <c>;</c> starts a comment).</summary>
public sealed class ReputationFeedOptions
{
    /// <summary>Name shown in replies, logs and metrics.</summary>
    public string Name { get; set; } = "";

    /// <summary>A file path, or an http(s) URL.</summary>
    public string Source { get; set; } = "";

    /// <summary>Added to the client's listing score when the feed lists it; negative for an allow feed.</summary>
    public double Weight { get; set; } = 1.0;

    /// <summary>How often the feed is read again (a file only when it changed).</summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Largest feed accepted.</summary>
    public long MaxBytes { get; set; } = 256L * 1024 * 1024;
}
