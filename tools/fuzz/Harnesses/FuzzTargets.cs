namespace Gateway.Fuzz.Harnesses;

/// <summary>The harnesses by name.</summary>
public static class FuzzTargets
{
    public static IReadOnlyList<string> Names { get; } = ["smtp", "mime", "proxy", "policy"];

    public static IFuzzTarget Create(string name) => name switch
    {
        "smtp" => new SmtpSessionTarget(),
        "mime" => new MimeFingerprintTarget(),
        "proxy" => new ProxyHeaderTarget(),
        "policy" => new PolicyFileTarget(),
        _ => throw new ArgumentException($"unknown fuzz target '{name}' (known: {string.Join(", ", Names)})",
            nameof(name)),
    };

    /// <summary>Largest input each harness takes (afl-fuzz and the mutation runner cut longer ones).</summary>
    public static int MaxInputBytes(string name) => name switch
    {
        // A PROXY header is at most 16 + 4096 bytes; a little more shows what follows it is left alone.
        "proxy" => 8 * 1024,
        "smtp" or "policy" => 64 * 1024,
        _ => 512 * 1024,
    };
}
