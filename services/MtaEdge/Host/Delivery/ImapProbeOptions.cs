namespace Gateway.MtaEdge.Host.Delivery;

/// <summary>
/// The IMAP side of the mailbox store, read from the same <c>Gateway:Remediation:Imap</c> settings
/// retro-remediation uses (one place to configure the store). The edge only searches, never changes anything.
/// </summary>
public sealed class ImapProbeOptions
{
    public const string SectionName = "Gateway:Remediation:Imap";

    public string Host { get; set; } = "";

    public int Port { get; set; } = 143;

    /// <summary>Auto (clear text on loopback, else STARTTLS), None, StartTls or SslOnConnect.</summary>
    public string Security { get; set; } = "Auto";

    public string MasterUser { get; set; } = "";

    public string MasterPassword { get; set; } = "";

    public string MasterPasswordFile { get; set; } = "";

    /// <summary>Login name of a mailbox from {address}, {local} and {domain}.</summary>
    public string LoginFormat { get; set; } = "{address}";

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Host) && !string.IsNullOrWhiteSpace(MasterUser);
}
