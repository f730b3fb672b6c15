namespace Gateway.AdminApi;

/// <summary>Drops an mbox "From " separator line that saved messages often start with (it is not a header).</summary>
public static class MboxSeparator
{
    public static ReadOnlySpan<byte> Strip(ReadOnlySpan<byte> message)
    {
        if (!message.StartsWith("From "u8))
        {
            return message;
        }

        var newline = message.IndexOf((byte)'\n');
        return newline < 0 ? ReadOnlySpan<byte>.Empty : message[(newline + 1)..];
    }
}
