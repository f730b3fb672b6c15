using System.Globalization;
using System.Text;

namespace Gateway.MtaEdge.Tests.Smtp.Cases;

/// <summary>
/// A parsed `smtp/*.case` transcript, following ../shared/cases/README.md: `#` comments (the first
/// says what the case checks), `>` a line plus CRLF, `>>` exact bytes with escapes, `>>> N` the
/// same N times, `<` / `<<< N` expected reply codes, `<close`, `<quiet MS`.
/// </summary>
public sealed class CaseFile
{
    private CaseFile(string name, string description, IReadOnlyList<CaseStep> steps)
    {
        Name = name;
        Description = description;
        Steps = steps;
    }

    public string Name { get; }

    public string Description { get; }

    public IReadOnlyList<CaseStep> Steps { get; }

    public static CaseFile Load(string path) => Parse(Path.GetFileName(path), File.ReadAllText(path, Encoding.UTF8));

    public static CaseFile Parse(string name, string text)
    {
        var steps = new List<CaseStep>();
        string? description = null;
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        for (var index = 0; index < lines.Length; index++)
        {
            var line = lines[index];
            var number = index + 1;
            if (line.Length == 0)
            {
                continue;
            }

            if (line.StartsWith('#'))
            {
                description ??= line[1..].Trim();
                continue;
            }

            steps.Add(ParseStep(line, number, name));
        }

        return new CaseFile(name, description ?? name, steps);
    }

    private static CaseStep ParseStep(string line, int number, string name)
    {
        if (line.StartsWith(">>> ", StringComparison.Ordinal))
        {
            var rest = line[4..];
            var space = rest.IndexOf(' ');
            if (space <= 0)
            {
                throw Bad(name, number, "`>>> N TEXT` needs a count and a text");
            }

            return new CaseStep(CaseStepKind.Send, number, line)
            {
                Count = Count(rest[..space], name, number),
                Bytes = Unescape(rest[(space + 1)..], name, number),
            };
        }

        if (line.StartsWith(">> ", StringComparison.Ordinal))
        {
            return new CaseStep(CaseStepKind.Send, number, line) { Bytes = Unescape(line[3..], name, number) };
        }

        if (line.StartsWith("> ", StringComparison.Ordinal))
        {
            return new CaseStep(CaseStepKind.Send, number, line) { Bytes = Encoding.UTF8.GetBytes(line[2..] + "\r\n") };
        }

        if (line.StartsWith("<<< ", StringComparison.Ordinal))
        {
            var rest = line[4..].Trim();
            var space = rest.IndexOf(' ');
            if (space <= 0)
            {
                throw Bad(name, number, "`<<< N CODES` needs a count and codes");
            }

            return new CaseStep(CaseStepKind.Expect, number, line)
            {
                Count = Count(rest[..space], name, number),
                Codes = Codes(rest[(space + 1)..], name, number),
            };
        }

        if (line.Trim() == "<close")
        {
            return new CaseStep(CaseStepKind.ExpectClose, number, line);
        }

        if (line.StartsWith("<quiet ", StringComparison.Ordinal))
        {
            return new CaseStep(CaseStepKind.ExpectQuiet, number, line)
            {
                Milliseconds = Count(line[7..].Trim(), name, number),
            };
        }

        if (line.StartsWith("< ", StringComparison.Ordinal))
        {
            return new CaseStep(CaseStepKind.Expect, number, line) { Codes = Codes(line[2..], name, number) };
        }

        throw Bad(name, number, "unknown line: " + line);
    }

    /// <summary>Escapes of `>>` and `>>>`: \r \n \0 \t \\ \xNN; everything else is sent as UTF-8.</summary>
    public static byte[] Unescape(string text, string name = "", int number = 0)
    {
        var bytes = new List<byte>(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c != '\\')
            {
                var end = char.IsHighSurrogate(c) && i + 1 < text.Length ? i + 2 : i + 1;
                bytes.AddRange(Encoding.UTF8.GetBytes(text[i..end]));
                i = end - 1;
                continue;
            }

            if (i + 1 >= text.Length)
            {
                throw Bad(name, number, "backslash at the end of the text");
            }

            var e = text[++i];
            switch (e)
            {
                case 'r': bytes.Add((byte)'\r'); break;
                case 'n': bytes.Add((byte)'\n'); break;
                case '0': bytes.Add(0); break;
                case 't': bytes.Add((byte)'\t'); break;
                case '\\': bytes.Add((byte)'\\'); break;
                case 'x':
                    if (i + 2 >= text.Length || !byte.TryParse(
                            text.AsSpan(i + 1, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture,
                            out var value))
                    {
                        throw Bad(name, number, "\\x needs two hex digits");
                    }

                    bytes.Add(value);
                    i += 2;
                    break;
                default:
                    throw Bad(name, number, "unknown escape \\" + e);
            }
        }

        return bytes.ToArray();
    }

    private static int Count(string text, string name, int number) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw Bad(name, number, "not a positive count: " + text);

    private static IReadOnlyList<string> Codes(string text, string name, int number)
    {
        var codes = text.Trim().Split('|', StringSplitOptions.TrimEntries);
        if (codes.Length == 0 || codes.Any(c => c.Length is 0 or > 3 || !c.All(char.IsAsciiDigit)))
        {
            throw Bad(name, number, "bad reply codes: " + text);
        }

        return codes;
    }

    private static FormatException Bad(string name, int number, string message) =>
        new($"{name}:{number}: {message}");
}
