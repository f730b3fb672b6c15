namespace Gateway.RetroRemediation.Cache;

/// <summary>Lower-case base 36 for the short numbers in cache keys and copy ids.</summary>
internal static class Base36
{
    private const string Digits = "0123456789abcdefghijklmnopqrstuvwxyz";

    public static string Format(long value)
    {
        if (value < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(value));
        }

        Span<char> text = stackalloc char[13];
        var i = text.Length;
        do
        {
            text[--i] = Digits[(int)(value % 36)];
            value /= 36;
        }
        while (value > 0);

        return new string(text[i..]);
    }

    public static bool TryParse(ReadOnlySpan<char> text, out long value)
    {
        value = 0;
        if (text.Length is 0 or > 12)
        {
            return false;
        }

        foreach (var c in text)
        {
            var digit = c is >= '0' and <= '9' ? c - '0' : c is >= 'a' and <= 'z' ? c - 'a' + 10 : -1;
            if (digit < 0)
            {
                return false;
            }

            value = value * 36 + digit;
        }

        return true;
    }
}
