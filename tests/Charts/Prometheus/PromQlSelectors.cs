namespace Gateway.Charts.Tests.Prometheus;

/// <summary>A metric named in a PromQL expression and the label names its selector matches on.</summary>
public sealed record PromQlSelector(string Metric, IReadOnlyList<string> LabelNames);

/// <summary>
/// Finds the metric names a PromQL expression reads. A small scanner rather than a parser: identifiers
/// followed by "(" are functions or aggregations; the label lists after by, without, on, ignoring,
/// group_left and group_right are labels; strings, durations in [] and matchers in {} are skipped (the
/// matchers' label names are kept for the metric they belong to). promtool checks the syntax separately.
/// </summary>
public static class PromQlSelectors
{
    private static readonly HashSet<string> Keywords =
    [
        "by", "without", "on", "ignoring", "group_left", "group_right", "bool", "offset", "and", "or", "unless",
        "inf", "nan", "atan2", "start", "end",
    ];

    private static readonly HashSet<string> Aggregations =
    [
        "sum", "min", "max", "avg", "group", "stddev", "stdvar", "count", "count_values", "bottomk", "topk",
        "quantile", "limitk", "limit_ratio",
    ];

    private static readonly HashSet<string> LabelListKeywords = ["by", "without", "on", "ignoring", "group_left", "group_right"];

    public static IReadOnlyList<PromQlSelector> Extract(string expression)
    {
        var found = new List<PromQlSelector>();
        var i = 0;
        string? pendingMetric = null;
        while (i < expression.Length)
        {
            var c = expression[i];
            if (c is '"' or '\'' or '`')
            {
                i = SkipString(expression, i);
                continue;
            }

            if (c == '[')
            {
                i = expression.IndexOf(']', i) + 1;
                continue;
            }

            if (c == '{')
            {
                var close = expression.IndexOf('}', i);
                var labels = MatcherLabels(expression[(i + 1)..close]);
                if (pendingMetric is not null)
                {
                    found[^1] = found[^1] with { LabelNames = labels };
                }

                pendingMetric = null;
                i = close + 1;
                continue;
            }

            if (char.IsLetter(c) || c is '_' or ':')
            {
                var start = i;
                while (i < expression.Length && (char.IsLetterOrDigit(expression[i]) || expression[i] is '_' or ':'))
                {
                    i++;
                }

                var word = expression[start..i];
                var next = NextNonSpace(expression, i);
                var isNumberPart = start > 0 && (char.IsDigit(expression[start - 1]) || expression[start - 1] == '.');
                if (isNumberPart)
                {
                    continue;
                }

                if (LabelListKeywords.Contains(word.ToLowerInvariant()) && next < expression.Length && expression[next] == '(')
                {
                    i = expression.IndexOf(')', next) + 1;
                    pendingMetric = null;
                    continue;
                }

                var clauseFollows = StartsWithWord(expression, next, "by") || StartsWithWord(expression, next, "without");
                if (Keywords.Contains(word.ToLowerInvariant()) || (next < expression.Length && expression[next] == '(')
                    || (Aggregations.Contains(word.ToLowerInvariant()) && clauseFollows))
                {
                    pendingMetric = null;
                    continue;
                }

                found.Add(new PromQlSelector(word, []));
                pendingMetric = word;
                continue;
            }

            if (!char.IsWhiteSpace(c))
            {
                pendingMetric = null;
            }

            i++;
        }

        return found;
    }

    private static List<string> MatcherLabels(string matchers)
    {
        var labels = new List<string>();
        var i = 0;
        while (i < matchers.Length)
        {
            if (matchers[i] is '"' or '\'' or '`')
            {
                i = SkipString(matchers, i);
                continue;
            }

            if (char.IsLetter(matchers[i]) || matchers[i] == '_')
            {
                var start = i;
                while (i < matchers.Length && (char.IsLetterOrDigit(matchers[i]) || matchers[i] == '_'))
                {
                    i++;
                }

                labels.Add(matchers[start..i]);
                continue;
            }

            i++;
        }

        return labels;
    }

    private static int SkipString(string text, int open)
    {
        var quote = text[open];
        var i = open + 1;
        while (i < text.Length && text[i] != quote)
        {
            i += text[i] == '\\' && quote != '`' ? 2 : 1;
        }

        return i + 1;
    }

    private static bool StartsWithWord(string text, int i, string word) =>
        string.CompareOrdinal(text, i, word, 0, word.Length) == 0
        && (i + word.Length == text.Length || !char.IsLetterOrDigit(text[i + word.Length]) && text[i + word.Length] != '_');

    private static int NextNonSpace(string text, int i)
    {
        while (i < text.Length && char.IsWhiteSpace(text[i]))
        {
            i++;
        }

        return i;
    }
}
