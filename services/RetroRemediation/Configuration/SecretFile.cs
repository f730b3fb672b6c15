namespace Gateway.RetroRemediation.Configuration;

/// <summary>Reads a small secret file (password, token, signing key) once, at start-up.</summary>
internal static class SecretFile
{
    /// <summary>A secret file larger than this is a mistake (a wrong path), not a secret.</summary>
    private const int MaxBytes = 4096;

    /// <summary>
    /// The content without trailing line breaks, or null with the reason in <paramref name="error"/>.
    /// </summary>
    public static string? Read(string path, out string? error)
    {
        error = null;
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists)
            {
                error = $"'{path}' does not exist";
                return null;
            }

            if (info.Length > MaxBytes)
            {
                error = $"'{path}' is larger than {MaxBytes} bytes";
                return null;
            }

            return File.ReadAllText(info.FullName).TrimEnd('\r', '\n');
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The exception text names the path and the OS error, never the content.
            error = ex.Message;
            return null;
        }
    }
}
