namespace Gateway.SenderIntelligence.Policy;

/// <summary>
/// A case-insensitive glob over a host or domain name: <c>*</c> matches any run of characters (dots included),
/// <c>?</c> one character. <c>*.example.com</c> matches every name below example.com but not example.com itself.
/// </summary>
public sealed class WildcardPattern
{
    private readonly string _pattern;

    public WildcardPattern(string pattern)
    {
        _pattern = pattern.Trim().TrimEnd('.').ToLowerInvariant();
    }

    public override string ToString() => _pattern;

    public bool IsMatch(string? value)
    {
        if (value is null)
        {
            return false;
        }

        var text = value.Trim().TrimEnd('.');
        // Iterative glob match with one backtracking point: linear in practice, never exponential.
        int p = 0, t = 0, star = -1, resume = 0;
        while (t < text.Length)
        {
            if (p < _pattern.Length && (_pattern[p] == '?' || _pattern[p] == char.ToLowerInvariant(text[t])))
            {
                p++;
                t++;
            }
            else if (p < _pattern.Length && _pattern[p] == '*')
            {
                star = p++;
                resume = t;
            }
            else if (star >= 0)
            {
                p = star + 1;
                t = ++resume;
            }
            else
            {
                return false;
            }
        }

        while (p < _pattern.Length && _pattern[p] == '*')
        {
            p++;
        }

        return p == _pattern.Length;
    }
}
