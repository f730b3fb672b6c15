namespace Gateway.MtaEdge.Smtp.Commands;

/// <summary>
/// The client's name in EHLO/HELO. Many real clients send names that are not valid domains
/// (underscores, bare addresses), so any single token of printable ASCII is taken; it is only
/// ever recorded, escaped, never trusted.
/// </summary>
internal static class HelloArgument
{
    private const int MaxLength = 255;

    public static bool IsValid(string argument) =>
        argument.Length is > 0 and <= MaxLength && argument.All(c => c is > ' ' and <= '~');
}
