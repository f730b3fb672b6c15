using System.Globalization;

namespace Gateway.Bench.Remediation;

/// <summary>"--name value" pairs after the mode word, with typed getters and defaults.</summary>
public sealed class BenchArguments
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    public BenchArguments(IEnumerable<string> args)
    {
        string? name = null;
        foreach (var arg in args)
        {
            if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                name = arg[2..];
                _values[name] = "true";
            }
            else if (name is not null)
            {
                _values[name] = arg;
                name = null;
            }
            else
            {
                throw new ArgumentException($"unexpected argument '{arg}'");
            }
        }
    }

    public string Text(string name, string? fallback = null) =>
        _values.TryGetValue(name, out var value) ? value
        : fallback ?? Environment.GetEnvironmentVariable(EnvironmentName(name))
            ?? throw new ArgumentException($"--{name} is required (or ${EnvironmentName(name)})");

    public int Number(string name, int fallback) =>
        _values.TryGetValue(name, out var value) ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;

    private static string EnvironmentName(string name) => name switch
    {
        "redis" => "GATEWAY_TEST_REDIS",
        "imap" => "GATEWAY_TEST_IMAP",
        "lmtp" => "GATEWAY_TEST_LMTP",
        "master" => "GATEWAY_TEST_IMAP_MASTER_USER",
        "password" => "GATEWAY_TEST_IMAP_MASTER_PASSWORD",
        _ => "BENCH_" + name.ToUpperInvariant(),
    };
}
