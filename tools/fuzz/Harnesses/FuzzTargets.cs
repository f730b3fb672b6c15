namespace Gateway.Fuzz.Harnesses;

/// <summary>The harnesses by name. PROXY protocol and policy file parsers get theirs when they exist in main.</summary>
public static class FuzzTargets
{
    public static IReadOnlyList<string> Names { get; } = ["smtp", "mime"];

    public static IFuzzTarget Create(string name) => name switch
    {
        "smtp" => new SmtpSessionTarget(),
        "mime" => new MimeFingerprintTarget(),
        _ => throw new ArgumentException($"unknown fuzz target '{name}' (known: {string.Join(", ", Names)})",
            nameof(name)),
    };

    /// <summary>Largest input each harness takes (afl-fuzz and the mutation runner cut longer ones).</summary>
    public static int MaxInputBytes(string name) => name == "smtp" ? 64 * 1024 : 512 * 1024;
}
