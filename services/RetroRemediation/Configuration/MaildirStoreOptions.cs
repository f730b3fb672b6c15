namespace Gateway.RetroRemediation.Configuration;

/// <summary>The local Maildir++ tree the edge writes (standalone default). Root is <c>MaildirRoot</c>.</summary>
public sealed class MaildirStoreOptions : StorePolicyOptions
{
}
