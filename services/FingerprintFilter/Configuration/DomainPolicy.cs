namespace Gateway.FingerprintFilter.Configuration;

/// <summary>What happens to convicted mail for a recipient domain.</summary>
public enum DomainPolicy
{
    /// <summary>Refuse at end of DATA with <c>550 5.7.1</c>.</summary>
    Reject,

    /// <summary>
    /// Accept with <c>X-Spam-*</c> header fields, so the mailbox store files it (e.g. a Sieve rule to Junk).
    /// </summary>
    Tag,
}
