namespace Gateway.RetroRemediation.Stores.Imap;

/// <summary>The service account a mailbox is opened with. The password is never logged or formatted.</summary>
internal sealed record ImapCredentials(string User, string Password)
{
    public override string ToString() => User;
}
