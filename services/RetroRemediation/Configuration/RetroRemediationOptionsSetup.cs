using Microsoft.Extensions.Options;

namespace Gateway.RetroRemediation.Configuration;

/// <summary>
/// Reads the IMAP master password file once, when the options are first built (at start-up, because
/// they are validated on start). A read error is kept for the validator, which reports it by setting name.
/// </summary>
public sealed class RetroRemediationOptionsSetup : IPostConfigureOptions<RetroRemediationOptions>
{
    /// <summary>A password file larger than this is a mistake (a wrong path), not a password.</summary>
    private const int MaxPasswordFileBytes = 4096;

    public void PostConfigure(string? name, RetroRemediationOptions options)
    {
        var imap = options.Imap;
        imap.MasterPasswordFileError = null;
        imap.ResolvedMasterPassword = imap.MasterPassword;
        if (string.IsNullOrWhiteSpace(imap.MasterPasswordFile))
        {
            return;
        }

        try
        {
            var info = new FileInfo(imap.MasterPasswordFile);
            if (!info.Exists)
            {
                imap.MasterPasswordFileError = $"'{imap.MasterPasswordFile}' does not exist";
                return;
            }

            if (info.Length > MaxPasswordFileBytes)
            {
                imap.MasterPasswordFileError =
                    $"'{imap.MasterPasswordFile}' is larger than {MaxPasswordFileBytes} bytes";
                return;
            }

            imap.ResolvedMasterPassword = File.ReadAllText(info.FullName).TrimEnd('\r', '\n');
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The exception text names the path and the OS error, never the content.
            imap.MasterPasswordFileError = ex.Message;
        }
    }
}
