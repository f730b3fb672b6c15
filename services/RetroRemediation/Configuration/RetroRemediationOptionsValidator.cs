using Gateway.RetroRemediation.Stores;
using Microsoft.Extensions.Options;

namespace Gateway.RetroRemediation.Configuration;

/// <summary>
/// Checks <see cref="RetroRemediationOptions"/> at start-up and names each bad setting by its
/// configuration path. IMAP settings are checked only when <c>Imap:Host</c> is set: a gateway that
/// delivers only to Maildir needs none of them.
/// </summary>
public sealed class RetroRemediationOptionsValidator : IValidateOptions<RetroRemediationOptions>
{
    private const string Section = RetroRemediationOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, RetroRemediationOptions options)
    {
        var errors = new List<string>();

        if (options.Window < TimeSpan.FromSeconds(1) || options.Window > TimeSpan.FromDays(30))
        {
            errors.Add($"{Section}:Window must be between 00:00:01 and 30.00:00:00; got {options.Window}.");
        }

        // The Junk name becomes a Maildir++ directory (".Junk") and an IMAP mailbox name: keep it a plain word.
        if (!IsPlainFolderName(options.JunkFolder))
        {
            errors.Add(
                $"{Section}:JunkFolder must be 1-64 letters, digits, '-', '_' or spaces; got '{options.JunkFolder}'.");
        }

        if (string.IsNullOrWhiteSpace(options.InboxFolder) || options.InboxFolder.Length > 255
            || options.InboxFolder.Any(char.IsControl))
        {
            errors.Add($"{Section}:InboxFolder must be a mailbox name such as INBOX; got '{options.InboxFolder}'.");
        }

        if (options.MaildirRoot.Length > 0 && !Path.IsPathFullyQualified(options.MaildirRoot))
        {
            errors.Add($"{Section}:MaildirRoot must be an absolute path; got '{options.MaildirRoot}'.");
        }

        if (options.MaxCopiesPerEvent is < 1 or > 1_000_000)
        {
            errors.Add($"{Section}:MaxCopiesPerEvent must be between 1 and 1000000; got {options.MaxCopiesPerEvent}.");
        }

        if (options.MaxParallelActions is < 1 or > 64)
        {
            errors.Add($"{Section}:MaxParallelActions must be between 1 and 64; got {options.MaxParallelActions}.");
        }

        ValidateImap(options.Imap, errors);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void ValidateImap(ImapStoreOptions imap, List<string> errors)
    {
        const string prefix = Section + ":Imap";
        if (!imap.IsConfigured)
        {
            return;
        }

        if (imap.Port is < 1 or > 65535)
        {
            errors.Add($"{prefix}:Port must be between 1 and 65535; got {imap.Port}.");
        }

        if (!Enum.IsDefined(imap.Security))
        {
            errors.Add($"{prefix}:Security must be Auto, None, StartTls or SslOnConnect.");
        }

        if (string.IsNullOrWhiteSpace(imap.MasterUser))
        {
            errors.Add($"{prefix}:MasterUser is required when {prefix}:Host is set.");
        }

        var inline = !string.IsNullOrEmpty(imap.MasterPassword);
        var file = !string.IsNullOrWhiteSpace(imap.MasterPasswordFile);
        if (inline && file)
        {
            errors.Add($"{prefix}: set MasterPassword or MasterPasswordFile, not both.");
        }
        else if (!inline && !file)
        {
            errors.Add($"{prefix}:MasterPasswordFile (or MasterPassword) is required when {prefix}:Host is set.");
        }
        else if (imap.MasterPasswordFileError is { } fileError)
        {
            errors.Add($"{prefix}:MasterPasswordFile cannot be read: {fileError}.");
        }
        else if (imap.ResolvedMasterPassword.Length == 0)
        {
            errors.Add($"{prefix}:MasterPasswordFile is empty.");
        }

        if (!ImapLoginName.TryValidateFormat(imap.LoginFormat, out var formatError))
        {
            errors.Add($"{prefix}:LoginFormat {formatError}");
        }

        if (imap.Timeout < TimeSpan.FromSeconds(1) || imap.Timeout > TimeSpan.FromMinutes(10))
        {
            errors.Add($"{prefix}:Timeout must be between 00:00:01 and 00:10:00; got {imap.Timeout}.");
        }
    }

    private static bool IsPlainFolderName(string? name) =>
        !string.IsNullOrWhiteSpace(name) && name.Length <= 64 && name.Trim() == name
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or ' ');
}
