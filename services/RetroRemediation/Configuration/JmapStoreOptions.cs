namespace Gateway.RetroRemediation.Configuration;

/// <summary>
/// A JMAP mail store (RFC 8620, RFC 8621). Either HTTP Basic with a login built per mailbox (a
/// master-user form such as <c>{address}%admin</c>, with the service password), or one bearer token
/// that sees every mailbox as its own account (the account named like the mailbox is used).
/// </summary>
public sealed class JmapStoreOptions : StorePolicyOptions
{
    /// <summary>The session resource (RFC 8620 section 2), e.g. https://mail.example.test/.well-known/jmap.</summary>
    public string SessionUrl { get; set; } = "";

    /// <summary>Basic login per mailbox from the tokens of <c>Imap:LoginFormat</c>; empty when using a token.</summary>
    public string LoginFormat { get; set; } = "";

    public string PasswordFile { get; set; } = "";

    public string BearerTokenFile { get; set; } = "";

    /// <summary>Limit on each HTTP request.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a fetched session (API URL, account id) and mailbox ids are reused.</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromMinutes(5);

    public bool IsConfigured => !string.IsNullOrWhiteSpace(SessionUrl);

    internal string ResolvedPassword { get; set; } = "";

    internal string ResolvedBearerToken { get; set; } = "";

    internal string? SecretFileError { get; set; }
}
