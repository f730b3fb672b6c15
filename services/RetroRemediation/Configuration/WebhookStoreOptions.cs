namespace Gateway.RetroRemediation.Configuration;

/// <summary>
/// A store with its own API, told what to do by an HMAC-SHA256-signed JSON POST
/// (<c>gateway.v1.WebhookActionRequest</c>); the store answers <c>WebhookActionReply</c>.
/// </summary>
public sealed class WebhookStoreOptions : StorePolicyOptions
{
    /// <summary>The endpoint; https unless the host is a loopback address.</summary>
    public string Url { get; set; } = "";

    /// <summary>File holding the shared signing secret (at least 16 bytes), read at start-up.</summary>
    public string SecretFile { get; set; } = "";

    /// <summary>Limit on each request.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Tries within one action for a 5xx, 408, 429 or a network error, before it goes back to the pending list.
    /// </summary>
    public int Attempts { get; set; } = 3;

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Url);

    internal byte[] ResolvedSecret { get; set; } = [];

    internal string? SecretFileError { get; set; }
}
