namespace Gateway.RetroRemediation.Configuration;

/// <summary>A service account that may open every mailbox of one domain (its own master user there).</summary>
public sealed class ImapDomainAccount
{
    /// <summary>The recipient domain, e.g. example.test (subdomains are not included).</summary>
    public string Domain { get; set; } = "";

    public string MasterUser { get; set; } = "";

    public string MasterPasswordFile { get; set; } = "";

    internal string ResolvedMasterPassword { get; set; } = "";

    internal string? MasterPasswordFileError { get; set; }
}
