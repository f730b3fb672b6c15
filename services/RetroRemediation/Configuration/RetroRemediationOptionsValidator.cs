using Gateway.RetroRemediation.Policy;
using Gateway.RetroRemediation.Stores;
using Microsoft.Extensions.Options;

namespace Gateway.RetroRemediation.Configuration;

/// <summary>
/// Checks <see cref="RetroRemediationOptions"/> at start-up and names each bad setting by its
/// configuration path. A store's connection settings are checked only when the store is configured
/// (<c>Imap:Host</c>, <c>Jmap:SessionUrl</c>, <c>Webhook:Url</c>): a gateway that delivers only to
/// Maildir needs none of them.
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

        // The folder names become Maildir++ directories (".Junk") and IMAP/JMAP mailbox names: keep them plain words.
        foreach (var (setting, value) in new[]
                 {
                     ("JunkFolder", options.JunkFolder), ("QuarantineFolder", options.QuarantineFolder),
                 })
        {
            if (!IsPlainFolderName(value))
            {
                errors.Add(
                    $"{Section}:{setting} must be 1-64 letters, digits, '-', '_' or spaces; got '{value}'.");
            }
        }

        if (string.Equals(options.JunkFolder, options.QuarantineFolder, StringComparison.OrdinalIgnoreCase))
        {
            errors.Add($"{Section}:QuarantineFolder must differ from JunkFolder.");
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

        ValidatePatterns("SafeSenders", options.SafeSenders, errors);
        ValidatePatterns("ExemptRecipients", options.ExemptRecipients, errors);
        ValidateRetry(options.Retry, errors);
        ValidateAudit(options.Audit, errors);
        ValidatePolicy("Maildir", options.Maildir, errors);
        ValidatePolicy("Imap", options.Imap, errors);
        ValidatePolicy("Jmap", options.Jmap, errors);
        ValidatePolicy("Webhook", options.Webhook, errors);
        ValidateImap(options.Imap, errors);
        ValidateJmap(options.Jmap, errors);
        ValidateWebhook(options.Webhook, errors);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void ValidatePatterns(string setting, List<string> entries, List<string> errors)
    {
        if (entries.Count > AddressPatternSet.MaxEntries)
        {
            errors.Add($"{Section}:{setting} has {entries.Count} entries; at most {AddressPatternSet.MaxEntries}.");
        }

        foreach (var entry in entries)
        {
            if (!AddressPatternSet.IsValidEntry(entry))
            {
                errors.Add($"{Section}:{setting} entry '{entry}' is neither an address (user@domain) nor a domain.");
            }
        }
    }

    private static void ValidateRetry(RetryOptions retry, List<string> errors)
    {
        const string prefix = Section + ":Retry";
        if (retry.InitialDelay < TimeSpan.FromMilliseconds(10) || retry.InitialDelay > TimeSpan.FromHours(1))
        {
            errors.Add($"{prefix}:InitialDelay must be between 00:00:00.010 and 01:00:00; got {retry.InitialDelay}.");
        }

        if (retry.MaxDelay < retry.InitialDelay || retry.MaxDelay > TimeSpan.FromHours(6))
        {
            errors.Add($"{prefix}:MaxDelay must be between InitialDelay and 06:00:00; got {retry.MaxDelay}.");
        }

        if (retry.InlineGrace < TimeSpan.FromSeconds(1) || retry.InlineGrace > TimeSpan.FromHours(1))
        {
            errors.Add($"{prefix}:InlineGrace must be between 00:00:01 and 01:00:00; got {retry.InlineGrace}.");
        }

        if (retry.ActionTimeout < TimeSpan.FromSeconds(1) || retry.ActionTimeout > TimeSpan.FromMinutes(30))
        {
            errors.Add($"{prefix}:ActionTimeout must be between 00:00:01 and 00:30:00; got {retry.ActionTimeout}.");
        }

        if (retry.PollInterval < TimeSpan.FromMilliseconds(10) || retry.PollInterval > TimeSpan.FromMinutes(1))
        {
            errors.Add($"{prefix}:PollInterval must be between 00:00:00.010 and 00:01:00; got {retry.PollInterval}.");
        }

        if (retry.MaxPending is < 100 or > 10_000_000)
        {
            errors.Add($"{prefix}:MaxPending must be between 100 and 10000000; got {retry.MaxPending}.");
        }
    }

    private static void ValidateAudit(AuditOptions audit, List<string> errors)
    {
        if (audit.MaxEntries is < 100 or > 10_000_000)
        {
            errors.Add($"{Section}:Audit:MaxEntries must be between 100 and 10000000; got {audit.MaxEntries}.");
        }

        if (audit.Retention < TimeSpan.FromMinutes(1) || audit.Retention > TimeSpan.FromDays(3650))
        {
            errors.Add($"{Section}:Audit:Retention must be between 00:01:00 and 3650.00:00:00; got {audit.Retention}.");
        }
    }

    private static void ValidatePolicy(string store, StorePolicyOptions policy, List<string> errors)
    {
        var prefix = $"{Section}:{store}";
        if (!Enum.IsDefined(policy.Action))
        {
            errors.Add($"{prefix}:Action must be MoveToJunk, MoveToQuarantine, Delete or Flag.");
        }

        if (policy.MaxConcurrency is < 1 or > 256)
        {
            errors.Add($"{prefix}:MaxConcurrency must be between 1 and 256; got {policy.MaxConcurrency}.");
        }

        if (policy.MaxActionsPerSecond < 0 || policy.MaxActionsPerSecond > 100_000
            || double.IsNaN(policy.MaxActionsPerSecond))
        {
            errors.Add($"{prefix}:MaxActionsPerSecond must be between 0 (no limit) and 100000; "
                + $"got {policy.MaxActionsPerSecond}.");
        }
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

        for (var i = 0; i < imap.DomainAccounts.Count; i++)
        {
            var account = imap.DomainAccounts[i];
            var at = $"{prefix}:DomainAccounts:{i}";
            if (!AddressPatternSet.IsValidEntry(account.Domain) || account.Domain.Contains('@'))
            {
                errors.Add($"{at}:Domain must be a domain name; got '{account.Domain}'.");
            }

            if (string.IsNullOrWhiteSpace(account.MasterUser))
            {
                errors.Add($"{at}:MasterUser is required.");
            }

            if (account.MasterPasswordFileError is { } accountError)
            {
                errors.Add($"{at}:MasterPasswordFile {accountError}.");
            }
            else if (account.ResolvedMasterPassword.Length == 0)
            {
                errors.Add($"{at}:MasterPasswordFile is empty.");
            }
        }

        if (!LoginNameFormat.TryValidate(imap.LoginFormat, out var formatError))
        {
            errors.Add($"{prefix}:LoginFormat {formatError}");
        }

        if (imap.Timeout < TimeSpan.FromSeconds(1) || imap.Timeout > TimeSpan.FromMinutes(10))
        {
            errors.Add($"{prefix}:Timeout must be between 00:00:01 and 00:10:00; got {imap.Timeout}.");
        }

        if (imap.MaxIdleSessions is < 0 or > 4096)
        {
            errors.Add($"{prefix}:MaxIdleSessions must be between 0 and 4096; got {imap.MaxIdleSessions}.");
        }

        if (imap.SessionIdleTimeout < TimeSpan.Zero || imap.SessionIdleTimeout > TimeSpan.FromMinutes(25))
        {
            // Dovecot and RFC 3501 section 5.4 allow logging out an idle client after 30 minutes.
            errors.Add($"{prefix}:SessionIdleTimeout must be between 00:00:00 and 00:25:00; "
                + $"got {imap.SessionIdleTimeout}.");
        }
    }

    private static void ValidateJmap(JmapStoreOptions jmap, List<string> errors)
    {
        const string prefix = Section + ":Jmap";
        if (!jmap.IsConfigured)
        {
            return;
        }

        if (!SecureUrl.TryCheck(jmap.SessionUrl, out var urlError))
        {
            errors.Add($"{prefix}:SessionUrl {urlError}");
        }

        var basic = !string.IsNullOrWhiteSpace(jmap.LoginFormat);
        var bearer = !string.IsNullOrWhiteSpace(jmap.BearerTokenFile);
        if (basic == bearer)
        {
            errors.Add($"{prefix}: set either LoginFormat with PasswordFile (Basic) or BearerTokenFile, exactly one.");
        }
        else if (basic && string.IsNullOrWhiteSpace(jmap.PasswordFile))
        {
            errors.Add($"{prefix}:PasswordFile is required with {prefix}:LoginFormat.");
        }
        else if (jmap.SecretFileError is { } fileError)
        {
            errors.Add($"{prefix}: the secret file cannot be read: {fileError}.");
        }
        else if ((basic ? jmap.ResolvedPassword : jmap.ResolvedBearerToken).Length == 0)
        {
            errors.Add($"{prefix}: the secret file is empty.");
        }

        if (basic && !LoginNameFormat.TryValidate(jmap.LoginFormat, out var formatError))
        {
            errors.Add($"{prefix}:LoginFormat {formatError}");
        }

        if (jmap.Timeout < TimeSpan.FromSeconds(1) || jmap.Timeout > TimeSpan.FromMinutes(10))
        {
            errors.Add($"{prefix}:Timeout must be between 00:00:01 and 00:10:00; got {jmap.Timeout}.");
        }

        if (jmap.SessionLifetime < TimeSpan.Zero || jmap.SessionLifetime > TimeSpan.FromDays(1))
        {
            errors.Add(
                $"{prefix}:SessionLifetime must be between 00:00:00 and 1.00:00:00; got {jmap.SessionLifetime}.");
        }
    }

    private static void ValidateWebhook(WebhookStoreOptions webhook, List<string> errors)
    {
        const string prefix = Section + ":Webhook";
        if (!webhook.IsConfigured)
        {
            return;
        }

        if (!SecureUrl.TryCheck(webhook.Url, out var urlError))
        {
            errors.Add($"{prefix}:Url {urlError}");
        }

        if (string.IsNullOrWhiteSpace(webhook.SecretFile))
        {
            errors.Add($"{prefix}:SecretFile is required when {prefix}:Url is set.");
        }
        else if (webhook.SecretFileError is { } fileError)
        {
            errors.Add($"{prefix}:SecretFile cannot be read: {fileError}.");
        }
        else if (webhook.ResolvedSecret.Length < 16)
        {
            errors.Add($"{prefix}:SecretFile must hold at least 16 bytes.");
        }

        if (webhook.Timeout < TimeSpan.FromMilliseconds(100) || webhook.Timeout > TimeSpan.FromMinutes(5))
        {
            errors.Add($"{prefix}:Timeout must be between 00:00:00.100 and 00:05:00; got {webhook.Timeout}.");
        }

        if (webhook.Attempts is < 1 or > 10)
        {
            errors.Add($"{prefix}:Attempts must be between 1 and 10; got {webhook.Attempts}.");
        }
    }

    private static bool IsPlainFolderName(string? name) =>
        !string.IsNullOrWhiteSpace(name) && name.Length <= 64 && name.Trim() == name
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or ' ');
}
