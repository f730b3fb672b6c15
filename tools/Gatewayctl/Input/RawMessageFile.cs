namespace Gateway.Ctl.Input;

/// <summary>
/// Reads a message file to send as-is. A leading mbox "From " separator line is not part of the message
/// (RFC 4155) and is dropped; line ends are left alone because the gateway normalises them.
/// </summary>
public static class RawMessageFile
{
    /// <summary>The admin API's default limit (Gateway:Admin:MaxMessageBytes): a larger file would be cut off
    /// by the gateway with a 413 that the client, still sending, sees only as a broken connection.</summary>
    public const long MaxBytes = 26L * 1024 * 1024;

    private static readonly byte[] MboxSeparator = "From "u8.ToArray();

    public static byte[] Read(string path)
    {
        byte[] bytes;
        try
        {
            if (Directory.Exists(path))
            {
                throw new InputFileException($"{path} is a directory, not a message file.");
            }

            var info = new FileInfo(path);
            if (!info.Exists)
            {
                throw new InputFileException($"{path}: no such file.");
            }

            if (info.Length > MaxBytes)
            {
                throw new InputFileException(
                    $"{path} is {info.Length / (1024 * 1024)} MiB; gatewayctl sends messages of at most "
                    + $"{MaxBytes / (1024 * 1024)} MiB (the admin API's default limit, Gateway:Admin:MaxMessageBytes).");
            }

            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputFileException($"cannot read {path}: {e.Message}");
        }

        var message = StripMboxSeparator(bytes);
        if (message.Length == 0 || message.AsSpan().IndexOfAnyExcept(" \t\r\n"u8) < 0)
        {
            throw new InputFileException($"{path} holds no message (it is empty).");
        }

        return message;
    }

    public static byte[] StripMboxSeparator(byte[] bytes)
    {
        if (!bytes.AsSpan().StartsWith(MboxSeparator))
        {
            return bytes;
        }

        var lineEnd = Array.IndexOf(bytes, (byte)'\n');
        return lineEnd < 0 ? [] : bytes[(lineEnd + 1)..];
    }
}
