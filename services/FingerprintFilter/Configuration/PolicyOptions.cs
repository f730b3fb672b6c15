namespace Gateway.FingerprintFilter.Configuration;

/// <summary>
/// Reject or tag convicted mail (<c>Gateway:Fingerprint:Policy</c>), e.g.
/// <c>"Policy": { "Default": "Reject", "Domains": { "example.org": "Tag" } }</c>.
/// </summary>
public sealed class PolicyOptions
{
    public DomainPolicy Default { get; set; } = DomainPolicy.Reject;

    /// <summary>Per recipient domain (case-insensitive; a sub-domain does not inherit).</summary>
    public Dictionary<string, DomainPolicy> Domains { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Add X-Spam-* fields to clean and suspect mail too (X-Spam-Status: No / Suspect).</summary>
    public bool HeadersOnEveryMessage { get; set; } = true;
}
