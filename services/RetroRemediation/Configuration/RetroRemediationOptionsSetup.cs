using System.Text;
using Microsoft.Extensions.Options;

namespace Gateway.RetroRemediation.Configuration;

/// <summary>
/// Reads the secret files (IMAP master passwords, JMAP password or token, webhook key) once, when the
/// options are first built (at start-up, because they are validated on start). A read error is kept
/// for the validator, which reports it by setting name.
/// </summary>
public sealed class RetroRemediationOptionsSetup : IPostConfigureOptions<RetroRemediationOptions>
{
    public void PostConfigure(string? name, RetroRemediationOptions options)
    {
        var imap = options.Imap;
        imap.MasterPasswordFileError = null;
        imap.ResolvedMasterPassword = imap.MasterPassword;
        if (!string.IsNullOrWhiteSpace(imap.MasterPasswordFile))
        {
            imap.ResolvedMasterPassword = SecretFile.Read(imap.MasterPasswordFile, out var error) ?? "";
            imap.MasterPasswordFileError = error;
        }

        foreach (var account in imap.DomainAccounts)
        {
            account.ResolvedMasterPassword = "";
            account.MasterPasswordFileError = "is not set";
            if (!string.IsNullOrWhiteSpace(account.MasterPasswordFile))
            {
                account.ResolvedMasterPassword = SecretFile.Read(account.MasterPasswordFile, out var error) ?? "";
                account.MasterPasswordFileError = error is null ? null : "cannot be read: " + error;
            }
        }

        var jmap = options.Jmap;
        jmap.SecretFileError = null;
        if (!string.IsNullOrWhiteSpace(jmap.PasswordFile))
        {
            jmap.ResolvedPassword = SecretFile.Read(jmap.PasswordFile, out var error) ?? "";
            jmap.SecretFileError = error;
        }

        if (!string.IsNullOrWhiteSpace(jmap.BearerTokenFile))
        {
            jmap.ResolvedBearerToken = SecretFile.Read(jmap.BearerTokenFile, out var error) ?? "";
            jmap.SecretFileError ??= error;
        }

        var webhook = options.Webhook;
        webhook.SecretFileError = null;
        if (!string.IsNullOrWhiteSpace(webhook.SecretFile))
        {
            webhook.ResolvedSecret = Encoding.UTF8.GetBytes(SecretFile.Read(webhook.SecretFile, out var error) ?? "");
            webhook.SecretFileError = error;
        }
    }
}
