namespace Gateway.RetroRemediation.Stores.Jmap;

/// <summary>
/// A discovered JMAP session for one login: where to post, which account, and its mailbox ids once read.
/// </summary>
internal sealed class JmapAccount(string login, Uri apiUrl, string accountId, DateTimeOffset fetchedAt)
{
    public string Login { get; } = login;

    public Uri ApiUrl { get; } = apiUrl;

    public string AccountId { get; } = accountId;

    public DateTimeOffset FetchedAt { get; } = fetchedAt;

    /// <summary>Mailbox ids by "role:inbox", "role:junk" or "name:Quarantine"; null until read.</summary>
    public Dictionary<string, string>? Mailboxes { get; set; }
}
