using System.Globalization;
using System.Text.RegularExpressions;

namespace Gateway.SenderIntelligence.Policy;

/// <summary>The scalar forms of the policy file: counts, sizes, durations.</summary>
internal static partial class PolicyValues
{
    // Bounds keep every value far from overflow in the store's arithmetic (Lua numbers are doubles).
    public const long MaxCount = 1_000_000_000_000;
    public static readonly TimeSpan MaxDuration = TimeSpan.FromDays(3650);

    /// <summary>A whole number from 0 to <see cref="MaxCount"/>, or "unlimited".</summary>
    public static bool TryCount(string text, out long value, out string error)
    {
        error = "";
        if (IsUnlimited(text))
        {
            value = SenderLimits.Unlimited;
            return true;
        }

        if (long.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out value) && value <= MaxCount)
        {
            return true;
        }

        error = $"'{text}' is not a count: expected a whole number from 0 to {MaxCount} or 'unlimited'";
        return false;
    }

    /// <summary>Bytes, with an optional unit: B, KB, MB, GB, TB (1024-based); or "unlimited".</summary>
    public static bool TrySize(string text, out long value, out string error)
    {
        error = "";
        value = 0;
        if (IsUnlimited(text))
        {
            value = SenderLimits.Unlimited;
            return true;
        }

        var match = SizePattern().Match(text.Trim());
        if (match.Success && long.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture,
            out var n))
        {
            var factor = match.Groups[2].Value.ToUpperInvariant().TrimEnd('B').TrimEnd('I') switch
            {
                "" => 1L,
                "K" => 1024L,
                "M" => 1024L * 1024,
                "G" => 1024L * 1024 * 1024,
                "T" => 1024L * 1024 * 1024 * 1024,
                _ => 0L,
            };
            if (factor > 0 && n <= MaxCount / factor)
            {
                value = n * factor;
                return true;
            }
        }

        error = $"'{text}' is not a size: expected bytes such as 1048576, 512KB, 50MB, 2GB, or 'unlimited'";
        return false;
    }

    /// <summary>A duration: a number with ms, s, m, h or d (plain numbers are seconds).</summary>
    public static bool TryDuration(string text, out TimeSpan value, out string error)
    {
        error = "";
        value = TimeSpan.Zero;
        var match = DurationPattern().Match(text.Trim());
        if (match.Success
            && double.TryParse(match.Groups[1].Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture,
                out var n))
        {
            var unit = match.Groups[2].Value.ToLowerInvariant() switch
            {
                "ms" => TimeSpan.FromMilliseconds(1),
                "" or "s" => TimeSpan.FromSeconds(1),
                "m" => TimeSpan.FromMinutes(1),
                "h" => TimeSpan.FromHours(1),
                "d" => TimeSpan.FromDays(1),
                _ => TimeSpan.Zero,
            };
            if (n * unit.TotalMilliseconds <= MaxDuration.TotalMilliseconds)
            {
                value = TimeSpan.FromMilliseconds(Math.Round(n * unit.TotalMilliseconds));
                return true;
            }
        }

        error = $"'{text}' is not a duration: expected a number with ms, s, m, h or d, such as 500ms, 30s, 10m, 7d";
        return false;
    }

    public static bool TryNumber(string text, out double value, out string error)
    {
        error = "";
        if (double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out value)
            && double.IsFinite(value))
        {
            return true;
        }

        error = $"'{text}' is not a number";
        return false;
    }

    /// <summary>A host or domain pattern: letters, digits, '-', '_', '.', and the wildcards '*' and '?'.</summary>
    public static bool TryPattern(string text, out WildcardPattern pattern, out string error)
    {
        pattern = null!;
        error = "";
        var trimmed = text.Trim();
        if (trimmed.Length is 0 or > 255 || !trimmed.All(c => char.IsAsciiLetterOrDigit(c)
            || c is '-' or '_' or '.' or '*' or '?'
            || c is '[' or ']' or ':'))
        {
            error = $"'{text}' is not a name pattern: "
                + "expected letters, digits, '-', '.', and the wildcards '*' and '?'";
            return false;
        }

        pattern = new WildcardPattern(trimmed);
        return true;
    }

    private static bool IsUnlimited(string text) =>
        string.Equals(text.Trim(), "unlimited", StringComparison.OrdinalIgnoreCase);

    [GeneratedRegex("^([0-9]+)\\s*([KkMmGgTt]?[Ii]?[Bb]?)$")]
    private static partial Regex SizePattern();

    [GeneratedRegex("^([0-9]+(?:\\.[0-9]+)?)\\s*(ms|s|m|h|d)?$", RegexOptions.IgnoreCase)]
    private static partial Regex DurationPattern();
}
